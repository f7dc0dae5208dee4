// Stale users: the threshold, a summary whose parts filter the table, and why sign-in data may be missing.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SignInAvailability, StaleReason } from '../../core/model';
import { STALE_REASONS } from '../../core/stale';
import { formatCount, t } from '../i18n';
import { MAX_STALE_DAYS, MIN_STALE_DAYS } from '../storage';
import type { StaleSummary } from '../store';
import { TESTIDS } from '../testids';
import { agoText, facetValueText } from '../words';

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
          {t('stale_inactiveAfter')}{' '}
          <input
            type="number"
            min={MIN_STALE_DAYS}
            max={MAX_STALE_DAYS}
            step={1}
            value={draft}
            data-testid={TESTIDS.threshold}
            aria-label={t('stale_thresholdLabel')}
            onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
            onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit((e.currentTarget as HTMLInputElement).value);
            }}
          />{' '}
          {t('stale_days')}
        </label>
        {staleAfterDays !== props.settingsDays ? (
          <button type="button" class="link" data-testid={TESTIDS.thresholdReset} onClick={props.onResetThreshold}>
            {t('stale_reset', { days: props.settingsDays })}
          </button>
        ) : null}
        <span data-testid={TESTIDS.staleSummary} data-total={String(summary.total)}>
          {summary.total === 0 ? (
            <span>{props.enriching ? t('stale_checking') : t('stale_none')}</span>
          ) : (
            <>
              {/* The summary as chips: each one filters the table to its rows. */}
              <button
                type="button"
                class="chip"
                data-testid={TESTIDS.staleReason}
                data-reason="any"
                title={t('stale_showAll')}
                onClick={() => props.onFilterReasons([...STALE_REASONS])}
              >
                {t('stale_total', { count: formatCount(summary.total) })}
              </button>
              {parts.map((r: StaleReason) => {
                const reason = facetValueText('stale', r, r);
                return (
                  <button
                    key={r}
                    type="button"
                    class="chip"
                    data-testid={TESTIDS.staleReason}
                    data-reason={r}
                    data-count={String(summary.byReason[r])}
                    title={t('stale_showReason', { reason })}
                    onClick={() => props.onFilterReasons([r])}
                  >
                    {t('stale_reasonCount', { reason, count: formatCount(summary.byReason[r]) })}
                  </button>
                );
              })}
              {props.enriching ? <span>{t('stale_stillChecking')}</span> : null}
            </>
          )}
        </span>
      </div>
      {signIn && !signIn.available ? (
        <div class="alert warn" data-testid={TESTIDS.signinUnavailable}>
          {signIn.reason ? t('stale_signInUnavailableBecause', { reason: signIn.reason.trim().replace(/\.$/, '') }) : t('stale_signInUnavailable')}{' '}
          {t('stale_signInUnavailableEffect')}
        </div>
      ) : null}
      {signIn?.available && props.signInCachedAt ? (
        <div class="meta" data-testid={TESTIDS.signinCachedAt} data-cached-at={props.signInCachedAt}>
          {t('stale_signInCached', { ago: agoText(props.signInCachedAt, props.now) })}
        </div>
      ) : null}
    </div>
  );
}
