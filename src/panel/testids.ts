// The panel's stable `data-testid` hooks: a public face of the product (contract.md "Panel hooks").
// End-to-end checks reach them through the OPEN shadow root of the light-DOM host, e.g. with puppeteer's
// deep selector: `[data-testid="assignment-panel-host"] >>> [data-testid="row-count"]`.
//
// Contract hooks (exact, relied on by automated checks):
//   host            light-DOM `<div>` holding the open shadow root.
//   signIn          button shown while not signed in; sends {type:'sign-in'}.
//   rowCount        attributes: data-loading "true"|"false" (true until rows AND user details are in),
//                   data-total (every assignment listed), data-shown (after filters),
//                   data-error (present, with the message, only when the load failed).
//                   Also data-enriching "true"|"false" and data-from-cache "true"|"false".
//   search          free-text input over display name, UPN, email, object id (case-insensitive).
//   exportCsv       exports the rows shown (after filters, in the shown order).
//   row             one per RENDERED row (the table is virtualised): data-assignment-id, data-stale,
//                   data-selected "true"|"false".
//   selectAll       checkbox: selects every row of the current filtered view (not only rendered rows).
//   removeSelected, confirmRemove, confirmInput, actionStatus: rendered by src/panel/actions/ into the
//                   toolbar slot (toolbarSlot below).
//                   removeSelected: disabled with nothing selected; its label carries the count.
//                   confirmRemove: in the removal dialog (role="dialog"); sends the removal once.
//                   confirmInput: shown for 25 assignments or more; confirmRemove enables when it holds the count.
//                   actionStatus: data-pending / data-failed / data-done count the entries of the LATEST BATCH
//                   of the open package's action log: the batch whose entries changed last (so a retry of an
//                   older batch makes it the latest again); data-batch is its id ("" when the log is empty).
//                   data-pending counts requests not answered yet, including those of unknown outcome.
//
// Panel hooks (stable too, documented here for e2e tests):
//   collapse        button collapsing the panel to a small button (and expanding it again: data-collapsed).
//   refresh         button: re-fetch the package, skipping the cache ({type:'open', refresh:true}).
//   signOut         button shown while signed in.
//   authState       element with data-status = the AuthState status.
//   progress        progress element while loading (data-pages, data-rows, data-partitions-done/-total).
//   loadError       the error message of a failed load (with `retry`).
//   missingParts    list of pages that finally failed; each item is `missingPart` with data-partition and
//                   data-page; comes with `retry`.
//   countMismatch   the worker's reported total differs from the rows that arrived (with a refresh button).
//   loadNotes       what the load noticed and worked around (Graph refused an option, an element without an id,
//                   account data unreadable for some users): data-count, one `loadNote` per line.
//   retry           re-fetch after an error or missing pages ({type:'open', refresh:true}).
//   fetchedAt       "fetched 3 min ago" (data-fetched-at ISO; data-from-cache "true" while a refresh runs).
//   exportAll       exports every row of the package (in the shown order).
//   exportWarning   the confirmation shown before exporting a list with missing pages (exportAnyway).
//   staleSummary    "312 stale: 120 inactive, ..." line; its parts are `staleReason` buttons with data-reason
//                   ("any" for the total), and clicking one applies that stale-reason filter.
//   signinUnavailable  explanation when sign-in data cannot be read (inactive / never-signed-in not claimed).
//   signinCachedAt  age of cached sign-in data.
//   signInLeft      while users are read: sign-in reads to go (data-left) and their time at most (data-eta-ms).
//   thresholdReset  puts the threshold back to the settings' staleAfterDays (shown when they differ).
//   threshold       number input: days after which a user counts as inactive.
//   facet           `facet-<facetId>`: one dropdown filter of the bar (data-selected: values ticked), with its
//                   button `facetToggle` (data-facet, aria-expanded) and, while open, options `facetOption`
//                   (checkbox label) carrying data-value, data-count and data-checked.
//   clearFilters    one click clears every filter and the search.
//   copyFilter, pasteFilter  copy the filter as a short string / open the paste box; the paste box is
//                   `filterInput` with `applyFilter`; a bad string shows `filterMessage` (data-kind "error").
//   activeFilter    human description of the active filter (empty when none).
//   columnChooser   button opening the column chooser; its options are `columnOption` (data-column).
//   columnHeader    one per visible column: data-column, aria-sort; a click sorts.
//   table           the scroll container (role="grid", aria-rowcount).
//   rowSelect       the checkbox inside each row.
//   selectionCount  data-selected (selected rows), data-hidden (selected rows the current filter hides).
//   toolbarSlot     the container src/panel/actions/ renders its controls into.
//   resizer         the drag handle on the panel's left edge (keyboard: arrow keys).
//   linkStatus      shown when the extension was reloaded and the page needs a reload (data-status).
//
// Actions hooks (src/panel/actions/):
//   removalDialog   the removal confirmation (role="dialog"); data-count = assignments to remove.
//   roleNote        in the removal and add dialogs: data-can-write "true" | "false" | "unknown" | "" (not known yet).
//   retryActions    "Retry failed" for the latest batch (shown while it has failures).
//   actionMessage   the latest batch's first failure, in words (shown while it has failures).
//   actionBadge     in a row: its latest action result, data-result "pending" | "done" | "failed", title = Graph's words.
//   addUsers        opens the direct-add dialog (addDialog) with userSearch, userResult (data-user-id),
//                   policySelect, startDate, endDate and confirmAdd.
//   actionLogOpen   opens the action log (actionLog) with exportLog and per-batch retryBatch (data-batch).
//   copyPowershell, copyGraph  copy the current view (or, in the removal dialog, the pending removal) as Graph
//                   PowerShell / raw Graph requests; copyFallback is the text box shown when the clipboard refuses.
//   deliveryButton  in rows delivering / partiallyDelivered / deliveryFailed: asks for the delivery status;
//                   deliveryInfo then shows it (data-state = the request state, "none" without a request).
//   deliveryAll     asks for the delivery status of every such row in the view.
export const TESTIDS = {
  host: 'assignment-panel-host',
  signIn: 'sign-in',
  signOut: 'sign-out',
  authState: 'auth-state',
  rowCount: 'row-count',
  search: 'search',
  exportCsv: 'export-csv',
  exportAll: 'export-all',
  exportWarning: 'export-warning',
  /** beside the export buttons while user details load: which CSV columns are not final yet */
  exportIncomplete: 'export-incomplete',
  exportAnyway: 'export-anyway',
  row: 'row',
  rowSelect: 'row-select',
  selectAll: 'select-all',
  selectionCount: 'selection-count',
  removeSelected: 'remove-selected',
  confirmRemove: 'confirm-remove',
  confirmInput: 'confirm-input',
  actionStatus: 'action-status',
  toolbarSlot: 'toolbar-slot',
  collapse: 'collapse',
  refresh: 'refresh',
  progress: 'progress',
  loadError: 'load-error',
  missingParts: 'missing-parts',
  missingPart: 'missing-part',
  retry: 'retry',
  countMismatch: 'count-mismatch',
  loadNotes: 'load-notes',
  loadNote: 'load-note',
  fetchedAt: 'fetched-at',
  staleSummary: 'stale-summary',
  staleReason: 'stale-reason',
  signinUnavailable: 'signin-unavailable',
  signinCachedAt: 'signin-cached-at',
  signInLeft: 'signin-left',
  threshold: 'threshold',
  thresholdReset: 'threshold-reset',
  facetOption: 'facet-option',
  facetToggle: 'facet-toggle',
  clearFilters: 'clear-filters',
  copyFilter: 'copy-filter',
  pasteFilter: 'paste-filter',
  filterInput: 'filter-input',
  applyFilter: 'apply-filter',
  filterMessage: 'filter-message',
  activeFilter: 'active-filter',
  columnChooser: 'column-chooser',
  filtersToggle: 'filters-toggle',
  liveRegion: 'live-region',
  filterChip: 'filter-chip',
  settingsNotice: 'settings-notice',
  settingsNoticeDismiss: 'settings-notice-dismiss',
  fullWidth: 'full-width',
  columnOption: 'column-option',
  columnHeader: 'column-header',
  table: 'table',
  resizer: 'resizer',
  linkStatus: 'link-status',
  removalDialog: 'removal-dialog',
  roleNote: 'role-note',
  retryActions: 'retry-actions',
  actionMessage: 'action-message',
  actionBadge: 'action-badge',
  addUsers: 'add-users',
  addDialog: 'add-dialog',
  userSearch: 'user-search',
  userResult: 'user-result',
  policySelect: 'policy-select',
  startDate: 'start-date',
  endDate: 'end-date',
  confirmAdd: 'confirm-add',
  /** One per requestor question of the chosen policy (data-question-id, data-required), its field inside. */
  addQuestion: 'add-question',
  actionLogOpen: 'action-log-open',
  actionLog: 'action-log',
  exportLog: 'export-log',
  retryBatch: 'retry-batch',
  copyPowershell: 'copy-powershell',
  copyGraph: 'copy-graph',
  copyFallback: 'copy-fallback',
  deliveryButton: 'delivery-status',
  deliveryInfo: 'delivery-info',
  deliveryAll: 'delivery-all',
} as const;

/** `facet-<facetId>`: one facet's dropdown filter (button and, while open, its options). */
export function facetTestId(facetId: string): string {
  return `facet-${facetId}`;
}
