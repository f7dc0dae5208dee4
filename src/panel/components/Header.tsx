// Header: what package, how many rows, how fresh, who is signed in, how the load is going, what failed.
import type { JSX } from 'preact';
import type { AuthState } from '../../messages';
import { groupMissing } from '../format';
import { formatCount, t, tn } from '../i18n';
import { agoText } from '../words';
import { isBusy, type PanelState } from '../store';
import { TESTIDS } from '../testids';
import type { LinkStatus } from '../worker-link';
import { Icon } from '../icons/Icon';
import { Notes } from './Notes';

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
  /** Full-width mode (remembered in the panel's prefs). */
  fullWidth?: boolean;
  onFullWidth?(on: boolean): void;
}

export function Auth({ auth, onSignIn, onSignOut }: { auth: AuthState | null; onSignIn(): void; onSignOut(): void }): JSX.Element | null {
  if (!auth) return null;
  switch (auth.status) {
    case 'signed-in':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <span title={auth.username}>{t('header_signedInAs', { name: auth.name || auth.username })}</span>
          <button type="button" data-testid={TESTIDS.signOut} onClick={onSignOut}>
            {t('header_signOut')}
          </button>
        </span>
      );
    case 'signing-in':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <button type="button" data-testid={TESTIDS.signIn} disabled>
            {t('header_signingIn')}
          </button>
        </span>
      );
    case 'signed-out':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          {auth.message ? <span>{auth.message}</span> : null}
          <button type="button" class="primary" data-testid={TESTIDS.signIn} onClick={onSignIn}>
            {t('header_signIn')}
          </button>
        </span>
      );
    case 'not-configured':
      return (
        <span class="auth" data-testid={TESTIDS.authState} data-status={auth.status}>
          <span>{auth.message}</span>
          <button type="button" data-testid={TESTIDS.signIn} disabled title={t('header_signInNotConfigured')}>
            {t('header_signIn')}
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
          aria-label={t('header_loadingLabel')}
          max={determinate ? p.partitionsTotal : undefined}
          value={determinate ? p.partitionsDone : undefined}
        />
        <span>
          {state.refreshing ? t('header_refreshing') : t('header_loading')}{' '}
          {p
            ? t('header_progress', { pages: tn('header_pages', p.pages), rows: tn('header_rows', p.rows) }) +
              (p.partitionsTotal > 0 ? ' ' + t('header_partitions', { done: p.partitionsDone, total: p.partitionsTotal }) : '')
            : ''}
        </span>
      </div>
    );
  }
  if (!state.enriching && isBusy(state)) {
    const waiting = state.auth?.status === 'signed-out' || state.auth?.status === 'not-configured';
    return (
      <div class="progress" data-testid={TESTIDS.progress}>
        {waiting ? null : <progress aria-label={t('header_starting')} />}
        <span>{waiting ? t('header_waitingSignIn') : t('header_starting')}</span>
      </div>
    );
  }
  if (state.enriching) {
    const left = state.signInLeft;
    return (
      <div class="progress" data-testid={TESTIDS.progress}>
        <progress aria-label={t('header_enrichingLabel')} />
        <span>{t('header_enriching')}</span>
        {left ? (
          <span data-testid={TESTIDS.signInLeft} data-left={left.left} data-eta-ms={left.etaMs}>
            {tn('header_signInLeft', left.left, { minutes: formatCount(Math.max(1, Math.ceil(left.etaMs / 60_000))) })}
          </span>
        ) : null}
      </div>
    );
  }
  return null;
}

/** Full width (when offered) and collapse: the panel's own window controls, on every view. */
export function WindowButtons(props: { fullWidth?: boolean; onFullWidth?(on: boolean): void; onCollapse(): void }): JSX.Element {
  return (
    <>
      {props.onFullWidth ? (
        <button
          type="button"
          class="icon"
          data-testid={TESTIDS.fullWidth}
          aria-pressed={props.fullWidth === true}
          aria-label={t('header_fullWidth')}
          title={props.fullWidth ? t('header_dockTitle') : t('header_fullWidthTitle')}
          onClick={() => props.onFullWidth!(!props.fullWidth)}
        >
          <Icon name={props.fullWidth ? 'minimize' : 'maximize'} />
        </button>
      ) : null}
      <button type="button" data-testid={TESTIDS.collapse} aria-expanded="true" aria-label={t('header_collapse')} onClick={props.onCollapse}>
        <Icon name="chevronRight" />
      </button>
    </>
  );
}

export function Header(props: HeaderProps): JSX.Element {
  const { state, total, shown, now } = props;
  const busy = isBusy(state);
  const name = state.info?.displayName || t('header_packageFallback');
  const mismatch = state.complete && state.reportedTotal !== null && state.reportedTotal !== state.rows.length;
  return (
    <div class="section">
      <div class="header-top">
        <div class="title" title={name}>
          {name}
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
          >
            {shown === total ? tn('header_assignments', total) : tn('header_shownOf', total, { shown: formatCount(shown) })}
            {state.loading && !state.refreshing ? ' ' + t('header_soFar') : ''}
          </span>
          {state.fetchedAt ? (
            <span data-testid={TESTIDS.fetchedAt} data-fetched-at={state.fetchedAt} data-from-cache={String(state.fromCache)} title={state.fetchedAt}>
              {t('header_fetched', { ago: agoText(state.fetchedAt, now) })}
              {state.fromCache ? ' ' + (state.refreshing ? t('header_fromCacheRefreshing') : t('header_fromCache')) : ''}
            </span>
          ) : null}
        </div>
        <Auth auth={state.auth} onSignIn={props.onSignIn} onSignOut={props.onSignOut} />
        <button type="button" data-testid={TESTIDS.refresh} onClick={props.onRefresh} disabled={!state.packageId} title={t('header_refreshTitle')}>
          <Icon name="arrowSync" />
          {t('header_refresh')}
        </button>
        <WindowButtons fullWidth={props.fullWidth} onFullWidth={props.onFullWidth} onCollapse={props.onCollapse} />
      </div>
      <Progress state={state} />
      {props.linkStatus === 'dead' ? (
        <div class="alert" role="alert" data-testid={TESTIDS.linkStatus} data-status="dead">
          {t('header_linkDead')}
        </div>
      ) : null}
      {state.error ? (
        <div class="alert" role="alert" data-testid={TESTIDS.loadError}>
          <strong>{state.complete ? t('header_refreshFailed') : t('header_loadFailed')} </strong>
          <span>{state.error.message}</span>
          {state.error.code ? <span> ({state.error.code})</span> : null}{' '}
          <button type="button" data-testid={TESTIDS.retry} onClick={props.onRefresh}>
            {t('header_retry')}
          </button>
        </div>
      ) : null}
      {!state.error && state.missing.length > 0 ? (
        <div class="alert" role="alert" data-testid={TESTIDS.missingParts}>
          <strong>
            {tn('header_incomplete', state.missing.length)}
          </strong>
          <ul>
            {groupMissing(state.missing).map((g) => (
              <li key={g.partition}>
                {g.partition}: {tn('header_pagesMissing', g.parts.length)}
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
            {t('header_retry')}
          </button>
        </div>
      ) : null}
      <Notes notes={state.notes} testid={TESTIDS.loadNotes} itemTestid={TESTIDS.loadNote} />
      {!state.error && mismatch ? (
        <div class="alert" role="alert" data-testid={TESTIDS.countMismatch}>
          {tn('header_mismatch', state.reportedTotal ?? 0, { arrived: formatCount(state.rows.length) })}{' '}
          <button type="button" onClick={props.onRefresh}>
            <Icon name="arrowSync" />
            {t('header_refresh')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
