// The panel's only stylesheet. It is adopted as a constructable stylesheet (mount.ts): the portal's CSP
// refuses <style> elements and style="" strings, but not the CSSOM. `:host { all: initial }` keeps the
// portal's inherited styles out; the shadow root keeps ours in.
//
// Look: Fluent 2 (the admin center's design system). Colours, type ramp, radii, spacing and focus come from
// @fluentui/tokens as custom properties (theme/tokens.ts: light, dark, high contrast, forced colours); use
// only those variables (--bg, --bg-alt, --bg-hover, --fg, --fg-muted, --border, --accent, --accent-fg, --link,
// --danger, --danger-bg, --danger-fill, --on-danger, --success, --warn-bg, --stale-bg, --selected-bg, --focus,
// --radius, --space-s/m, --font-size(-small)) so every theme and contrast check holds for new controls too.
// Shared classes for other features:
//   button               Fluent "secondary" button; add .primary (brand fill), .danger (destructive, red fill;
//                        show it only when it applies and say what it does: "Remove 7 assignments"),
//                        .subtle (no border, for toolbars), .link (looks like a link), .icon (square, icon only:
//                        give it an aria-label).
//   .badge               a small labelled pill: its text says what it is ("Delivery: failed 3 days ago");
//                        .badge.danger / .badge.warn / .badge.success for state colours.
//   .chip                a removable token (active filter, stale summary): <span class="chip">text<button
//                        class="chip-remove" aria-label="Remove filter …">×</button></span>.
//   .act-dialog          dialogs: use the Dialog component (src/panel/actions/Dialog.tsx): focus kept inside,
//                        Escape closes, focus returns to the opener.
//   .visually-hidden     text for screen readers only.
import { THEME_CSS } from './theme/tokens';

export const ROW_HEIGHT = 28;

export const PANEL_CSS = `
:host { all: initial; }
${THEME_CSS}
*, *::before, *::after { box-sizing: border-box; }
.panel {
  position: relative; display: flex; flex-direction: column; height: 100%; width: 100%;
  font-family: var(--font); font-size: var(--font-size-small); line-height: var(--line-height);
  color: var(--fg); background: var(--bg);
  border-left: 1px solid var(--border); box-shadow: var(--shadow); overflow: hidden;
}
/* The frame takes focus only as a fallback (see App); it is not a control, so no ring. */
.panel:focus { outline: none; }
button, input, select, textarea { font: inherit; color: inherit; }
button {
  background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); padding: 2px var(--space-s);
  cursor: pointer; min-height: 24px; font-weight: var(--weight-semibold);
  display: inline-flex; align-items: center; gap: 4px;
}
button:hover:not(:disabled) { background: var(--bg-hover); }
button:disabled { color: var(--fg-muted); border-color: var(--border); cursor: not-allowed; }
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
button.primary:hover:not(:disabled) { background: var(--accent-hover); }
button.danger { background: var(--danger-fill); color: var(--on-danger); border-color: var(--danger-fill); }
/* A filled button that cannot act looks like any disabled one: a red "Apply review: remove 0 assignments" read as
   ready to remove (more specific than the fills above and than the features' own sheets, adopted later). */
button.primary:disabled, button.danger:disabled { background: var(--bg); color: var(--fg-muted); border-color: var(--border); }
/* Fluent System icons (src/panel/icons): drawn in the text's colour; a button with one lays out icon and text. */
.icon-svg { flex: none; vertical-align: middle; }
button:has(> .icon-svg) { display: inline-flex; align-items: center; gap: 4px; }
.th button .icon-svg { margin-left: 4px; }
button.subtle { background: transparent; border-color: transparent; }
button.subtle:hover:not(:disabled) { background: var(--bg-hover); }
button.icon { padding: 2px; min-width: 26px; justify-content: center; }
button.link { background: none; border: none; padding: 0 2px; min-height: 0; color: var(--link); text-decoration: underline; font-weight: normal; }
button svg, .icon-svg { width: 16px; height: 16px; flex: none; fill: currentColor; }
input[type="text"], input[type="search"], input[type="number"], input[type="date"], textarea, select {
  background: var(--bg); border: 1px solid var(--border); border-bottom-color: var(--border-strong);
  border-radius: var(--radius); padding: 1px 6px; min-height: 24px;
}
input:focus-visible, textarea:focus-visible, select:focus-visible { border-bottom: 2px solid var(--accent); }
:focus-visible { outline: var(--stroke-focus) solid var(--focus); outline-offset: 1px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
.resizer {
  position: absolute; left: 0; top: 0; bottom: 0; width: 6px; cursor: ew-resize; z-index: 3; background: transparent;
}
.resizer:hover, .resizer:focus-visible { background: var(--accent); }
.section { padding: 3px var(--space-s) 3px var(--space-m); border-bottom: 1px solid var(--border); }
.header-top { display: flex; align-items: center; gap: var(--space-s); }
.title { font-size: var(--font-size-title); font-weight: var(--weight-semibold); flex: 0 1 auto; min-width: 60px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.no-name { color: var(--fg-muted); font-style: italic; }
.meta { color: var(--fg-muted); display: flex; flex-wrap: nowrap; gap: 0 12px; flex: 1; min-width: 0; overflow: hidden; white-space: nowrap; }
.meta > span { overflow: hidden; text-overflow: ellipsis; }
/* The header's row count is never cut ("3,000 assign…" told nothing): the name and the fetched time give way first. */
.header-top > .meta { min-width: min-content; }
.header-top > .meta > span:first-child { flex: none; }
.header-top > .meta > span + span { flex: 1 1 0; width: 0; min-width: 0; }
.badge { border-radius: var(--radius-pill); padding: 0 6px; background: var(--bg-alt); border: 1px solid var(--border); white-space: nowrap; }
.badge.danger { background: var(--danger-bg); color: var(--danger); border-color: var(--danger); }
.badge.warn { background: var(--warn-bg); }
.badge.success { color: var(--success); border-color: var(--success); }
.chip {
  display: inline-flex; align-items: center; gap: 2px; border-radius: var(--radius); padding: 0 8px;
  background: var(--selected-bg); border: 1px solid var(--border); white-space: nowrap; min-height: 22px; font-weight: normal;
}
.chip:has(.chip-remove) { padding-right: 2px; }
.chip-remove { border: none; background: transparent; min-height: 18px; padding: 0 4px; font-weight: normal; }
.auth { display: flex; align-items: center; gap: 6px; flex: none; white-space: nowrap; }
.progress { margin-top: 2px; }
.progress progress { width: 100%; height: 4px; accent-color: var(--accent); }
.alert { margin-top: 4px; padding: 4px 8px; border-radius: var(--radius); background: var(--danger-bg); color: var(--fg); border: 1px solid var(--danger); }
.alert.warn { background: var(--warn-bg); border-color: var(--border); }
.alert ul { margin: 4px 0; padding-left: 18px; max-height: 120px; overflow: auto; }
.alert code { word-break: break-all; font-size: 11px; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: var(--space-xs); }
.toolbar .search { flex: 1 1 180px; min-width: 140px; }
/* A count or progress among the toolbar's buttons takes a line of its own rather than being cut. */
.toolbar > .meta { flex: 1 0 auto; min-width: max-content; }
.toolbar-slot { display: contents; }
.filters { display: flex; flex-wrap: wrap; gap: var(--space-xs); margin-top: var(--space-xs); }
.facet { position: relative; }
.facet-button { display: inline-flex; align-items: center; gap: 4px; max-width: 240px; border-radius: var(--radius-pill); padding: 1px 10px; }
.facet-button-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.facet-button.active { border-color: var(--accent); background: var(--selected-bg); }
.facet-button .chevron { color: var(--fg-muted); font-size: 10px; }
.facet-menu {
  position: absolute; top: calc(100% + 2px); left: 0; z-index: 5; min-width: 200px; max-width: 320px; max-height: 300px;
  overflow: auto; padding: 4px 8px; background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius);
  box-shadow: var(--shadow);
}
.facet-menu.align-end { left: auto; right: 0; }
.facet-menu label { display: flex; gap: 6px; align-items: center; white-space: nowrap; min-height: 24px; }
.facet-menu label .label { overflow: hidden; text-overflow: ellipsis; flex: 1; }
.facet-menu .count { color: var(--fg-muted); font-variant-numeric: tabular-nums; }
.facet-menu label.zero { color: var(--fg-muted); }
.filter-line { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; margin-top: var(--space-xs); color: var(--fg-muted); }
.filter-line .active { color: var(--fg); }
.message-error { color: var(--danger); }
.filter-stale { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.filter-stale .filter-line, .filter-stale > .section, .filter-stale .stale-summary { display: contents; }
.filter-stale .alert, .filter-stale .meta { flex-basis: 100%; }
.stale-summary { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.stale-summary > span { display: inline-flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.columns-menu { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: var(--space-xs); }
.columns-menu label { display: flex; gap: 4px; align-items: center; }
.table-scroll { flex: 1; overflow: auto; position: relative; min-height: 120px; contain: strict; }
.table-head { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--border-strong); }
.grid-row { display: grid; align-items: center; }
.cells-row { display: flex; align-items: center; }
/* overflow: clip, not hidden: a hidden cell is a scroll container of its own, and clipping hundreds of them
   cost a fling about 3 ms a frame; clip still ends the text with an ellipsis. */
.grid-row > div, .cells-row > div { padding: 0 6px; overflow: clip; text-overflow: ellipsis; white-space: nowrap; }
.cells-row > div { flex: none; }
/* The first cell holds the row's controls (review decision, delivery check) and the details link: a focus or
   a scroll into view must be able to reach them, which only a scroll container allows. */
.cells-row > div.lead { overflow: hidden; }
.th { font-weight: var(--weight-semibold); height: 30px; display: flex; align-items: center; }
.th button { background: none; border: none; padding: 0; min-height: 0; font-weight: var(--weight-semibold); text-align: left; width: 100%; overflow: hidden; text-overflow: ellipsis; display: block; }
.row { position: absolute; left: 0; top: 0; border-bottom: 1px solid var(--border); background: var(--bg); contain: size layout style; }
.row:hover { background: var(--bg-hover); }
.row.stale { background: var(--stale-bg); }
.row.selected { background: var(--selected-bg); }
.row .reasons { color: var(--danger); }
.table-scroll:focus-visible { outline: none; }
.table-scroll:focus-visible .table-head { box-shadow: inset 0 2px 0 var(--focus); }
.table-scroll:focus-visible .row.active { outline: var(--stroke-focus) solid var(--focus); outline-offset: -2px; }
.empty { padding: 16px; color: var(--fg-muted); }
.collapsed-button {
  all: unset; box-sizing: border-box; display: flex; align-items: center; justify-content: center; width: 40px; height: 40px;
  border-radius: 20px 0 0 20px; background: var(--accent); color: var(--accent-fg); cursor: pointer;
  font: 600 13px var(--font); box-shadow: var(--shadow);
}
.collapsed-button:focus-visible { outline: 2px solid var(--fg); }
`;
