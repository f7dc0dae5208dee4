// The panel's only stylesheet. It is adopted as a constructable stylesheet (mount.ts): the portal's CSP
// refuses <style> elements and style="" strings, but not the CSSOM. `:host { all: initial }` keeps the
// portal's inherited styles out; the shadow root keeps ours in.
export const ROW_HEIGHT = 28;

export const PANEL_CSS = `
:host {
  all: initial;
  --bg: #ffffff;
  --bg-alt: #f5f6f8;
  --bg-hover: #eef2f8;
  --fg: #1b1b1f;
  --fg-muted: #5c6370;
  --border: #d5d9e0;
  --accent: #0f6cbd;
  --accent-fg: #ffffff;
  --danger: #b3261e;
  --danger-bg: #fde7e9;
  --warn-bg: #fff4ce;
  --stale-bg: #fff1e0;
  --selected-bg: #dbe9f9;
  --focus: #0f6cbd;
  color-scheme: light;
}
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #1f1f23;
    --bg-alt: #292a2f;
    --bg-hover: #30343c;
    --fg: #e8e8ec;
    --fg-muted: #a4a9b3;
    --border: #43464e;
    --accent: #6cb4f5;
    --accent-fg: #0b1f33;
    --danger: #ff8a80;
    --danger-bg: #44201f;
    --warn-bg: #3d3514;
    --stale-bg: #3b2c17;
    --selected-bg: #23405f;
    --focus: #6cb4f5;
    color-scheme: dark;
  }
}
*, *::before, *::after { box-sizing: border-box; }
.panel {
  position: relative; display: flex; flex-direction: column; height: 100%; width: 100%;
  font: 13px/1.4 "Segoe UI", system-ui, -apple-system, sans-serif; color: var(--fg); background: var(--bg);
  border-left: 1px solid var(--border); box-shadow: -2px 0 8px rgba(0,0,0,.15); overflow: hidden;
}
button, input, select, textarea { font: inherit; color: inherit; }
button {
  background: var(--bg-alt); border: 1px solid var(--border); border-radius: 4px; padding: 2px 8px;
  cursor: pointer; min-height: 26px;
}
button:hover:not(:disabled) { background: var(--bg-hover); }
button:disabled { opacity: .55; cursor: not-allowed; }
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
button.link { background: none; border: none; padding: 0 2px; min-height: 0; color: var(--accent); text-decoration: underline; }
input[type="text"], input[type="search"], input[type="number"], textarea {
  background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 3px 6px;
}
:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
.resizer {
  position: absolute; left: 0; top: 0; bottom: 0; width: 6px; cursor: ew-resize; z-index: 3; background: transparent;
}
.resizer:hover, .resizer:focus-visible { background: var(--accent); }
.section { padding: 6px 10px 6px 14px; border-bottom: 1px solid var(--border); }
.header-top { display: flex; align-items: center; gap: 8px; }
.title { font-size: 15px; font-weight: 600; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.meta { color: var(--fg-muted); display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 2px; }
.badge { border-radius: 8px; padding: 0 6px; background: var(--bg-alt); border: 1px solid var(--border); }
.auth { display: flex; align-items: center; gap: 6px; }
.progress { margin-top: 4px; }
.progress progress { width: 100%; height: 6px; }
.alert { margin-top: 6px; padding: 6px 8px; border-radius: 4px; background: var(--danger-bg); color: var(--fg); border: 1px solid var(--danger); }
.alert.warn { background: var(--warn-bg); border-color: var(--border); }
.alert ul { margin: 4px 0; padding-left: 18px; max-height: 120px; overflow: auto; }
.alert code { word-break: break-all; font-size: 11px; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.toolbar .search { flex: 1 1 180px; min-width: 140px; }
.toolbar-slot { display: contents; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 6px; max-height: 28vh; overflow: auto; }
.facet { border: 1px solid var(--border); border-radius: 4px; padding: 2px 8px 4px; margin: 0; min-width: 150px; max-width: 260px; }
.facet legend { font-weight: 600; padding: 0 2px; }
.facet label { display: flex; gap: 4px; align-items: center; white-space: nowrap; }
.facet label .label { overflow: hidden; text-overflow: ellipsis; flex: 1; }
.facet .count { color: var(--fg-muted); font-variant-numeric: tabular-nums; }
.facet label.zero { color: var(--fg-muted); }
.filter-line { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; color: var(--fg-muted); }
.filter-line .active { color: var(--fg); }
.message-error { color: var(--danger); }
.stale-summary { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
.columns-menu { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 6px; }
.columns-menu label { display: flex; gap: 4px; align-items: center; }
.table-scroll { flex: 1; overflow: auto; position: relative; min-height: 120px; }
.table-head { position: sticky; top: 0; z-index: 2; background: var(--bg-alt); border-bottom: 1px solid var(--border); }
.grid-row { display: grid; align-items: center; }
.grid-row > div { padding: 0 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.th { font-weight: 600; height: 30px; display: flex; align-items: center; }
.th button { background: none; border: none; padding: 0; min-height: 0; font-weight: 600; text-align: left; width: 100%; overflow: hidden; text-overflow: ellipsis; }
.row { position: absolute; left: 0; top: 0; border-bottom: 1px solid var(--border); background: var(--bg); }
.row:hover { background: var(--bg-hover); }
.row.stale { background: var(--stale-bg); }
.row.selected { background: var(--selected-bg); }
.row .reasons { color: var(--danger); }
.table-scroll:focus-visible .row.active { outline: 2px solid var(--focus); outline-offset: -2px; }
.facet { max-height: 220px; overflow: auto; }
.empty { padding: 16px; color: var(--fg-muted); }
.collapsed-button {
  all: unset; box-sizing: border-box; display: flex; align-items: center; justify-content: center; width: 40px; height: 40px;
  border-radius: 20px 0 0 20px; background: var(--accent); color: var(--accent-fg); cursor: pointer;
  font: 600 13px "Segoe UI", system-ui, sans-serif; box-shadow: -2px 0 8px rgba(0,0,0,.25);
}
.collapsed-button:focus-visible { outline: 2px solid var(--fg); }
`;
