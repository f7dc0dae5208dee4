// Review mode's data-testid hooks. Contract (contract.md, Review): reviewStart, reviewProgress (data-total,
// data-decided, data-keep, data-remove), decideKeep, decideRemove, decisionJustification, confirmDecision,
// exportReview, applyReview; and on each row data-decision="keep|remove|none" while reviewing.
// Stable for e2e tests too:
//   reviewScope        select: "all" or "filter" (shown while a filter is active and no review is open)
//   reviewSave         data-state "saved" | "saving" | "failed" (title: storage's reason)
//   reviewMessage      a refusal or error in words (bad import file, storage failure, ...)
//   reviewFinish       finish and archive the open review (reviewFinishConfirm confirms)
//   reviewAccept       accept the recommendations for the selection
//   reviewExportJson   saves the JSON evidence; reviewImport opens a file chooser (reviewImportFile)
//   reviewRecommendation  in a row: data-recommendation "keep" | "remove" | "none", title = the reasons
//   reviewDecision     the per-assignment control (row and details view): data-assignment-id, data-decision
//   reviewChanges      "changes since the last review" line: data-added, data-removed, data-newly-stale,
//                      data-newly-expiring, data-since (ISO), data-kind "review" | "visit"
export const REVIEW_TESTIDS = {
  reviewStart: 'review-start',
  reviewScope: 'review-scope',
  reviewProgress: 'review-progress',
  decideKeep: 'decide-keep',
  decideRemove: 'decide-remove',
  decisionJustification: 'decision-justification',
  confirmDecision: 'confirm-decision',
  decisionDialog: 'decision-dialog',
  exportReview: 'export-review',
  applyReview: 'apply-review',
  reviewSave: 'review-save',
  reviewMessage: 'review-message',
  reviewFinish: 'review-finish',
  reviewFinishConfirm: 'review-finish-confirm',
  reviewAccept: 'review-accept',
  reviewExportJson: 'review-export-json',
  reviewImport: 'review-import',
  reviewImportFile: 'review-import-file',
  reviewRecommendation: 'review-recommendation',
  reviewDecision: 'review-decision',
  reviewChanges: 'review-changes',
  reviewDisappeared: 'review-disappeared',
} as const;
