// An instant as every view of the panel shows it: in the browser's locale and time zone, with the UTC instant in
// the tooltip (the table's cells do the same through words.dateWords).
import type { ComponentChildren, JSX } from 'preact';
import { dateWords } from '../words';

/** `children`: the text that holds the local date (a sentence); without it, the date alone. */
export function LocalTime(props: { iso: string; children?: ComponentChildren }): JSX.Element {
  const words = dateWords(props.iso);
  return <span title={words.title || undefined}>{props.children ?? words.text}</span>;
}
