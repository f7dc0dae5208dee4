// The overview's styles, adopted next to the panel's sheet (CSSOM only: the portal's CSP refuses <style>
// elements and style="" strings).
export const OVERVIEW_CSS = `
.overview { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.overview .open-details { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: left; text-decoration: none; color: inherit; }
.overview .open-details:hover { text-decoration: underline; }
.overview-head { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.overview-title { font-size: var(--font-size-base, 14px); font-weight: var(--weight-semibold); margin: 0; }
.overview-actions { margin-left: auto; display: inline-flex; gap: 4px; }
.overview-charts { display: flex; flex-wrap: wrap; gap: 12px; }
.overview-chart { margin: 0; }
.overview-chart figcaption { color: var(--fg-muted); }
.overview-chart .bar { cursor: pointer; }
.overview-chart .bar rect { fill: var(--accent); }
.overview-chart .bar.on rect { fill: var(--danger); }
.overview-chart .bar:focus-visible rect { stroke: var(--focus); stroke-width: 2px; }
.overview-chart text { fill: var(--fg-muted); font-size: 10px; }
.overview-packages { display: flex; flex-direction: column; gap: 2px; }
.overview-packages-head { display: flex; align-items: center; gap: 8px; }
.overview-packages-caption { font-weight: var(--weight-semibold); }
.overview-packages-scroll { max-height: 170px; overflow: auto; contain: content; }
/* Counts take the room of a million or of their header's longest word (the headers wrap), so the table fits
   the panel's default width (720 px). Firefox's "Assignments" takes 86 px. */
.package-row { grid-template-columns: minmax(130px, 2fr) minmax(84px, 1fr) minmax(100px, 1fr) minmax(80px, 1fr) repeat(4, minmax(64px, 1fr)); min-width: 650px; border-bottom: 1px solid var(--border); }
.package-row > .num { text-align: end; font-variant-numeric: tabular-nums; }
.package-row > .num button { text-align: end; }
.package-row:not(.table-head) { height: 24px; }
/* Column names wrap rather than cut ("Expiring in 30 days" over two lines); the counts' columns fit the longest word. */
.package-row.table-head > .th { white-space: normal; height: auto; min-height: 30px; line-height: 1.2; }
.package-row.table-head > .th button { white-space: normal; }
.package-row[hidden] { display: none; }
.package-row.selected { background: var(--selected-bg); }
.overview-packages a { color: var(--link); }
.overview-tabs { display: inline-flex; gap: 2px; }
.overview-tabs [aria-selected="true"] { border-bottom: 2px solid var(--accent); }
.overview-resources { overflow: auto; flex: 1; min-height: 0; }
.overview-resources table { border-collapse: collapse; width: 100%; }
.overview-resources th, .overview-resources td { text-align: left; vertical-align: top; padding: 2px 6px; border-bottom: 1px solid var(--border); }
.overview-grants { margin: 0; padding-left: 16px; }
`;
