// Header: what package, how many rows, how fresh, who is signed in, how the load is going, what failed.
import type { JSX } from 'preact';
import type { AuthState } from '../../messages';
import { groupMissing, plural, timeAgo } from '../format';
import { isBusy, type PanelState } from '../store';
import { TESTIDS } from '../testids';
import type { LinkStatus } from '../worker-link';

export interface HeaderProps {
  state: Readonly<PanelState>;
  total: number;
  shown: number;
  now: number;
  linkStatus: LinkStatus;
  onSignIn(): void;
  onSignOut(): void;
  onRefresh(): void;
  onCollapse(): void;
}

function Auth({ auth, onSignIn, onSignOut }: { auth: AuthState | null; onSignIn(): void; onSignOut(): void }): JSX.Element | null {
  if (!auth) return null;
  switch (auth.status) {
    case 'signed-in':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <span title={auth.username}>Signed in as {auth.name || auth.username}</span>
          <button type="button" data-testid={TESTIDS.signOut} onClick={onSignOut}>
            Sign out
          </button>
        </span>
      );
    case 'signing-in':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <button type="button" data-testid={TESTIDS.signIn} disabled>
            Signing in…
          </button>
        </span>
      );
    case 'signed-out':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          {auth.message ? <span>{auth.message}</span> : null}
          <button type="button" class="primary" data-testid={TESTIDS.signIn} onClick={onSignIn}>
            Sign in
          </button>
        </span>
      );
    case 'not-configured':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <span>{auth.message}</span>
          <button type="button" data-testid={TESTIDS.signIn} disabled title="Set the app registration in the extension's options first">
            Sign in
          </button>
        </span>
      );
  }
}

function Progress({ state }: { state: Readonly<PanelState> }): JSX.Element | null {
  if (state.loading) {
    const p = state.progress;
    const determinate = p !== null && p.partitionsTotal > 0;
    return (
      <div
        class="progress"
        data-testid={TESTIDS.progress}
        data-pages={String(p?.pages ?? 0)}
        data-rows={String(p?.rows ?? 0)}
        data-partitions-done={String(p?.partitionsDone ?? 0)}
        data-partitions-total={String(p?.partitionsTotal ?? 0)}
      >
        <progress
          aria-label="Loading assignments"
          max={determinate ? p.partitionsTotal : undefined}
          value={determinate ? p.partitionsDone : undefined}
        />
        <span>
          {state.refreshing ? 'Refreshing… ' : 'Loading assignments… '}
          {p
            ? `${plural(p.pages, 'page')}, ${plural(p.rows, 'row')}` +
              (p.partitionsTotal > 0 ? `, partitions ${p.partitionsDone}/${p.partitionsTotal}` : '')
            : ''}
        </span>
      </div>
    );
  }
  if (!state.enriching && isBusy(state)) {
    const waiting = state.auth?.status === 'signed-out' || state.auth?.status === 'not-configured';
    return (
      <div class="progress" data-testid={TESTIDS.progress}>
        {waiting ? null : <progress aria-label="Starting" />}
        <span>{waiting ? 'Waiting for sign-in…' : 'Starting…'}</span>
      </div>
    );
  }
  if (state.enriching) {
    return (
      <div class="progress" data-testid={TESTIDS.progress}>
        <progress aria-label="Loading user details" />
        <span>Loading account and sign-in details…</span>
      </div>
    );
  }
  return null;
}

export function Header(props: HeaderProps): JSX.Element {
  const { state, total, shown, now } = props;
  const busy = isBusy(state);
  const name = state.info?.displayName || 'Access package';
  const mismatch = state.complete && state.reportedTotal !== null && state.reportedTotal !== state.rows.length;
  return (
    <div class="section">
      <div class="header-top">
        <div class="title" title={name}>
          {name}
        </div>
        <Auth auth={state.auth} onSignIn={props.onSignIn} onSignOut={props.onSignOut} />
        <button type="button" data-testid={TESTIDS.refresh} onClick={props.onRefresh} disabled={!state.packageId} title="Fetch the list again from Microsoft Graph">
          Refresh
        </button>
        <button type="button" data-testid={TESTIDS.collapse} aria-expanded="true" aria-label="Collapse the assignments panel" onClick={props.onCollapse}>
          ⟩
        </button>
      </div>
      <div class="meta">
        <span
          data-testid={TESTIDS.rowCount}
          data-loading={String(busy)}
          data-enriching={String(state.enriching)}
          data-from-cache={String(state.fromCache)}
          data-total={String(total)}
          data-shown={String(shown)}
          data-error={state.error ? state.error.message : undefined}
          aria-live="polite"
        >
          {shown === total ? plural(total, 'assignment') : `${shown.toLocaleString('en-US')} of ${plural(total, 'assignment')} shown`}
          {state.loading && !state.refreshing ? ' so far' : ''}
        </span>
        {state.fetchedAt ? (
          <span data-testid={TESTIDS.fetchedAt} data-fetched-at={state.fetchedAt} data-from-cache={String(state.fromCache)} title={state.fetchedAt}>
            fetched {timeAgo(state.fetchedAt, now)}
            {state.fromCache ? (state.refreshing ? ' (from cache, refreshing…)' : ' (from cache)') : ''}
          </span>
        ) : null}
      </div>
      <Progress state={state} />
      {props.linkStatus === 'dead' ? (
        <div class="alert" role="alert" data-testid={TESTIDS.linkStatus} data-status="dead">
          The extension was updated or reloaded. Reload this page to continue.
        </div>
      ) : null}
      {state.error ? (
        <div class="alert" role="alert" data-testid={TESTIDS.loadError}>
          <strong>{state.complete ? 'Refreshing failed; showing the earlier list. ' : 'Loading failed; the list is incomplete. '}</strong>
          <span>{state.error.message}</span>
          {state.error.code ? <span> ({state.error.code})</span> : null}{' '}
          <button type="button" data-testid={TESTIDS.retry} onClick={props.onRefresh}>
            Retry
          </button>
        </div>
      ) : null}
      {!state.error && state.missing.length > 0 ? (
        <div class="alert" role="alert" data-testid={TESTIDS.missingParts}>
          <strong>
            The list is incomplete: {plural(state.missing.length, 'page')} could not be read after retries.
          </strong>
          <ul>
            {groupMissing(state.missing).map((g) => (
              <li key={g.partition}>
                {g.partition}: {plural(g.parts.length, 'page')} missing
                <ul>
                  {g.parts.map((m, i) => (
                    <li key={i} data-testid={TESTIDS.missingPart} data-partition={m.partition} data-page={m.page}>
                      <code>{m.page}</code> — {m.error}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          <button type="button" data-testid={TESTIDS.retry} onClick={props.onRefresh}>
            Retry
          </button>
        </div>
      ) : null}
      {!state.error && mismatch ? (
        <div class="alert" role="alert" data-testid={TESTIDS.countMismatch}>
          The worker reported {plural(state.reportedTotal ?? 0, 'assignment')} but {state.rows.length.toLocaleString('en-US')} arrived.{' '}
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        </div>
      ) : null}
    </div>
  );
}
