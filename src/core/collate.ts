// How the panel orders names and labels, as a person does: locale order, case and accents aside, digits as
// numbers ("Package 9" before "Package 10"). One collator for the table's sort, the facets' values and the
// overview's packages, made on first use: making it loads the locale's collation data (about 7 ms on 2 cores),
// which the bundle's evaluation, a task of the portal page, no longer pays; the panel's start warms it up in a
// task of its own (WARM_UPS in panel/words).
let collator: Intl.Collator | null = null;

export function compareText(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return collator.compare(a, b);
}
