// What a load noticed and worked around (core/notes.ts), under the package panel's header and the overview's:
// collapsed to one line that counts them, each note as text.
import { tn } from '../i18n';

export function Notes(props: { notes: readonly string[]; testid: string; itemTestid: string }) {
  if (props.notes.length === 0) return null;
  return (
    <details class="alert warn" data-testid={props.testid} data-count={props.notes.length}>
      <summary>{tn('header_notes', props.notes.length)}</summary>
      <ul>
        {props.notes.map((n) => (
          <li key={n} data-testid={props.itemTestid}>
            {n}
          </li>
        ))}
      </ul>
    </details>
  );
}
