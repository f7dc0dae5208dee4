// Stale users: the threshold, a summary whose parts filter the table, and why sign-in data may be missing.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SignInAvailability, StaleReason } from '../../core/model';
import { STALE_REASONS } from '../../core/stale';
import { timeAgo } from '../format';
import { MAX_STALE_DAYS, MIN_STALE_DAYS } from '../storage';
import type { StaleSummary } from '../store';
import { TESTIDS } from '../testids';

const REASON_TEXT: Readonly<Record<StaleReason, string>> = {
  deleted: 'deleted',
  disabled: 'disabled',
  inactive: 'inactive',
  'never-signed-in': 'never signed in',
  'invitation-pending': 'invitation pending',
};

export interface StaleLineProps {
  summary: StaleSummary;
  staleAfterDays: number;
  /** The settings' staleAfterDays (the threshold's default). */
  settingsDays: number;
  signIn: SignInAvailability | null;
  signInCachedAt: string | null;
  /** User details still arriving: counts are not final. */
  enriching: boolean;
  now: number;
  onThreshold(days: number): void;
  onResetThreshold(): void;
  /** Applies the stale-reason filter: exactly these reasons. */
  onFilterReasons(reasons: StaleReason[]): void;
}

export function StaleLine(props: StaleLineProps): JSX.Element {
  const { summary, staleAfterDays, signIn } = props;
  const [draft, setDraft] = useState(String(staleAfterDays));
  useEffect(() => setDraft(String(staleAfterDays)), [staleAfterDays]);

  // Reads the input itself: a change event may arrive before the draft state has re-rendered.
  const commit = (value: string): void => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) props.onThreshold(n);
    else setDraft(String(staleAfterDays));
  };

  const parts = STALE_REASONS.filter((r) => summary.byReason[r] > 0);
  return (
    <div class="section">
      <div class="stale-summary">
        <label>
          Inactive after{' '}
          <input
            type="number"
            min={MIN_STALE_DAYS}
            max={MAX_STALE_DAYS}
            step={1}
            value={draft}
            data-testid={TESTIDS.threshold}
            aria-label="Days without sign-in after which a user counts as inactive"
            onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
            onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit((e.currentTarget as HTMLInputElement).value);
            }}
          />{' '}
          days
        </label>
        {staleAfterDays !== props.settingsDays ? (
          <button type="button" class="link" data-testid={TESTIDS.thresholdReset} onClick={props.onResetThreshold}>
            reset to {props.settingsDays}
          </button>
        ) : null}
        <span data-testid={TESTIDS.staleSummary} data-total={String(summary.total)} aria-live="polite">
          {summary.total === 0 ? (
            <span>{props.enriching ? 'Checking accounts…' : 'No stale users.'}</span>
          ) : (
            <>
              <button
                type="button"
                class="link"
                data-testid={TESTIDS.staleReason}
                data-reason="any"
                title="Show every stale row"
                onClick={() => props.onFilterReasons([...STALE_REASONS])}
              >
                {summary.total.toLocaleString('en-US')} stale
              </button>
              {': '}
              {parts.map((r, i) => (
                <span key={r}>
                  {i > 0 ? ', ' : ''}
                  <button
                    type="button"
                    class="link"
                    data-testid={TESTIDS.staleReason}
                    data-reason={r}
                    data-count={String(summary.byReason[r])}
                    title={`Show the ${REASON_TEXT[r]} rows`}
                    onClick={() => props.onFilterReasons([r])}
                  >
                    {summary.byReason[r].toLocaleString('en-US')} {REASON_TEXT[r]}
                  </button>
                </span>
              ))}
              {props.enriching ? ' (still checking…)' : ''}
            </>
          )}
        </span>
      </div>
      {signIn && !signIn.available ? (
        <div class="alert warn" data-testid={TESTIDS.signinUnavailable}>
          Sign-in data is unavailable{signIn.reason ? `: ${signIn.reason.trim().replace(/\.$/, '')}.` : '.'} Users
          are therefore not flagged as inactive or never signed in; deleted, disabled and pending-invitation accounts
          still are.
        </div>
      ) : null}
      {signIn?.available && props.signInCachedAt ? (
        <div class="meta" data-testid={TESTIDS.signinCachedAt} data-cached-at={props.signInCachedAt}>
          Sign-in data from {timeAgo(props.signInCachedAt, props.now)} (cached)
        </div>
      ) : null}
    </div>
  );
}
