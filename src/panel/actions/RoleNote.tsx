// What the worker learnt about the admin's role on the package's catalog (roles event; a 403 overrides it).
import type { JSX } from 'preact';
import { t } from '../i18n';
import { TESTIDS } from '../testids';
import type { RolesInfo } from './model';

export function RoleNote(props: { roles: RolesInfo | null; /** what is said while the role is not known, e.g. whether Graph will allow removing */ unknown: string }): JSX.Element {
  const r = props.roles;
  if (!r) {
    return (
      <p class="act-role act-note" data-testid={TESTIDS.roleNote} data-can-write="">
        {props.unknown}
      </p>
    );
  }
  const cls = r.canWrite === true ? 'yes' : r.canWrite === false ? 'no' : '';
  // A confirmed role speaks for itself; otherwise say first that it is not confirmed (or was refused).
  const lead = r.canWrite === true ? '' : `${t(r.canWrite === false ? 'actions_role_refused' : 'actions_role_unconfirmed')} `;
  return (
    <p class={`act-role ${cls}`} data-testid={TESTIDS.roleNote} data-can-write={String(r.canWrite)}>
      {lead}
      {r.explanation}
    </p>
  );
}
