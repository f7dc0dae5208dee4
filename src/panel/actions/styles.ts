// The actions feature's styles, adopted next to the panel's sheet (CSSOM only: the portal's CSP refuses
// <style> elements and style="" strings, browser-testing.md §13).
import { adoptFeatureStyles } from '../mount';
export const ACTIONS_CSS = `
.act-backdrop {
  position: absolute; inset: 0; z-index: 20; background: rgba(0,0,0,.35);
  display: flex; align-items: flex-start; justify-content: center; padding: 32px 10px;
}
.act-dialog {
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 6px;
  box-shadow: 0 6px 24px rgba(0,0,0,.35); padding: 12px 14px; width: 100%; max-width: 620px;
  max-height: 100%; overflow: auto; display: flex; flex-direction: column; gap: 8px;
}
.act-dialog h2 { font-size: 15px; margin: 0; }
.act-dialog p { margin: 0; }
.act-dialog ul { margin: 0; padding-left: 18px; }
.act-dialog label { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.act-buttons { display: flex; gap: 6px; justify-content: flex-end; flex-wrap: wrap; }
button.danger { background: var(--danger-fill); color: var(--on-danger); border-color: var(--danger-fill); }
.act-note { color: var(--fg-muted); }
.act-warn { background: var(--warn-bg); border: 1px solid var(--border); border-radius: 4px; padding: 4px 8px; }
.act-error { color: var(--danger); }
.act-role { border-left: 3px solid var(--border); padding: 2px 8px; }
.act-role.yes { border-color: var(--success); }
.act-role.no { border-color: var(--danger); color: var(--danger); }
.act-status { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.act-status .failed { color: var(--danger); }
.act-message { flex-basis: 100%; color: var(--danger); overflow: hidden; text-overflow: ellipsis; }
.act-badge {
  display: inline-block; border-radius: 8px; padding: 0 5px; margin-right: 4px; font-size: 11px; line-height: 16px;
  border: 1px solid var(--border); background: var(--bg-alt); vertical-align: middle;
}
.act-badge.pending { background: var(--warn-bg); }
.act-badge.done { border-color: var(--success); }
.act-badge.failed { background: var(--danger-bg); color: var(--danger); border-color: var(--danger); }
button.act-mini { min-height: 0; padding: 0 4px; margin-right: 4px; font-size: 11px; line-height: 16px; vertical-align: middle; }
.act-delivery { font-size: 11px; margin-right: 4px; color: var(--fg-muted); }
.act-results { max-height: 200px; overflow: auto; border: 1px solid var(--border); border-radius: 4px; }
.act-results label { padding: 2px 6px; }
.act-chips { display: flex; flex-wrap: wrap; gap: 4px; }
.act-chips button { font-size: 12px; }
.act-log table { border-collapse: collapse; width: 100%; font-size: 12px; table-layout: fixed; }
.act-log th, .act-log td { border-bottom: 1px solid var(--border); padding: 2px 4px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.act-log th:nth-child(1) { width: 84px; }
.act-log th:nth-child(2) { width: 20%; }
.act-log th:nth-child(3) { width: 24%; }
.act-log th:nth-child(4) { width: 78px; }
.act-log .scroll { max-height: 50vh; overflow: auto; }
.act-fallback textarea { width: 100%; height: 120px; font: 12px monospace; }
.act-deliveries { flex-basis: 100%; }
.act-deliveries ul { margin: 2px 0; padding-left: 18px; max-height: 120px; overflow: auto; }
`;

/** Adopted next to the panel's sheet, once per root. */
export const adoptActionStyles = (root: ShadowRoot | null): void => adoptFeatureStyles(root, ACTIONS_CSS);
