// What the worker learnt about the admin's role on the package's catalog (roles event; a 403 overrides it).
import type { JSX } from 'preact';
import { TESTIDS } from '../testids';
import type { RolesInfo } from './model';

export function RoleNote(props: { roles: RolesInfo | null; verb: string }): JSX.Element {
  const r = props.roles;
  if (!r) {
    return (
      <p class="act-role act-note" data-testid={TESTIDS.roleNote} data-can-write="">
        Your role here is not known yet: Graph will say whether you may {props.verb}.
      </p>
    );
  }
  const cls = r.canWrite === true ? 'yes' : r.canWrite === false ? 'no' : '';
  // A confirmed role speaks for itself; otherwise say first that it is not confirmed (or was refused).
  const lead = r.canWrite === true ? '' : r.canWrite === false ? 'Graph refused a change here. ' : 'Your role here could not be confirmed. ';
  return (
    <p class={`act-role ${cls}`} data-testid={TESTIDS.roleNote} data-can-write={String(r.canWrite)}>
      {lead}
      {r.explanation}
    </p>
  );
}
