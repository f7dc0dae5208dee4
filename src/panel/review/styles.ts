// Review mode's styles, adopted next to the panel's sheet (CSSOM only: the portal's CSP refuses <style>
// elements and style="" strings).
import { adoptFeatureStyles } from '../mount';
export const REVIEW_CSS = `
.rv-bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.rv-progress { display: inline-flex; gap: 6px; align-items: center; }
.rv-progress progress { width: 120px; }
.rv-note { color: var(--fg-muted); }
.rv-error { color: var(--danger); flex-basis: 100%; }
.rv-save.failed { color: var(--danger); }
.rv-rec { display: inline-block; border-radius: 8px; padding: 0 5px; margin-right: 4px; font-size: 11px; line-height: 16px; border: 1px dashed var(--border); vertical-align: middle; }
.rv-rec.remove { border-color: var(--danger); }
.rv-decision { display: inline-flex; gap: 2px; margin-right: 4px; vertical-align: middle; }
.rv-decision button { min-height: 0; padding: 0 4px; font-size: 11px; line-height: 16px; }
.rv-decision button[aria-pressed="true"] { background: var(--bg-alt); font-weight: 600; }
.rv-decision .remove[aria-pressed="true"] { color: var(--danger); }
.rv-dialog textarea { width: 100%; min-height: 60px; }
.rv-list { max-height: 120px; overflow: auto; margin: 2px 0; padding-left: 18px; }
`;

/** Adopted next to the panel's sheet, once per root. */
export const adoptReviewStyles = (root: ShadowRoot | null): void => adoptFeatureStyles(root, REVIEW_CSS);
