// The details view's styles, adopted next to the panel's sheet (CSSOM only: the portal's CSP refuses
// <style> elements and style="" strings).
import { adoptFeatureStyles } from '../mount';
export const DETAILS_CSS = `
.details {
  position: absolute; top: 0; right: 0; bottom: 0; width: min(100%, 560px); z-index: 10;
  background: var(--bg); color: var(--fg); border-left: 1px solid var(--border); box-shadow: -4px 0 16px rgba(0,0,0,.25);
  overflow-y: auto; overflow-x: hidden; padding: 10px 12px; display: flex; flex-direction: column; gap: 10px;
}
.details:focus { outline: 2px solid var(--accent, #0f6cbd); outline-offset: -2px; }
.details-head { display: flex; align-items: flex-start; gap: 8px; justify-content: space-between; }
.details-head h2 { font-size: 15px; margin: 0; overflow-wrap: anywhere; }
.details-nav { display: flex; gap: 4px; flex-shrink: 0; }
.details h3 { font-size: 13px; margin: 0 0 4px; }
.details h4 { font-size: 12px; margin: 6px 0 2px; }
.details section { border-top: 1px solid var(--border); padding-top: 6px; min-width: 0; }
.details-grid { display: grid; grid-template-columns: minmax(110px, 38%) 1fr; gap: 2px 8px; margin: 0; }
.details-field { display: contents; }
.details-field dt { color: var(--fg-muted); }
.details-field dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.details-note { color: var(--fg-muted); margin: 2px 0; overflow-wrap: anywhere; }
.details-requests, .details-stages, .details-others, .details-answers, .details-stale, .details-plan { margin: 0; padding-left: 18px; }
.details-request { margin: 4px 0 8px; min-width: 0; }
.details-text { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12em; overflow-y: auto; border-left: 3px solid var(--border); padding-left: 6px; margin: 2px 0; }
.details-actions { display: flex; flex-wrap: wrap; gap: 6px; }
.details-plan { max-height: 40vh; overflow: auto; }
`;

/** Adopted next to the panel's sheet, once per root. */
export const adoptDetailsStyles = (root: ShadowRoot | null): void => adoptFeatureStyles(root, DETAILS_CSS);
