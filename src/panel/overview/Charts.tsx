// Two small charts a person would rather look at than read: assignments by sign-in age and by expiry month.
// Drawn as SVG by the panel (no library, no remote code); a bar is a button that filters by its value.
import type { JSX } from 'preact';
import { SIGN_IN_AGE_CODES, type OverviewFacet, type OverviewQuery } from '../../core/overview/store';
import { formatCount, t, uiLocale } from '../i18n';

const WIDTH = 280;
const HEIGHT = 70;

interface Bar {
  value: string;
  label: string;
  /** under the bar (the label when absent) */
  short?: string;
  count: number;
}

function BarChart(props: { facet: OverviewFacet; title: string; bars: Bar[]; chosen: readonly string[]; onToggle(value: string): void }): JSX.Element | null {
  const { bars } = props;
  if (bars.length === 0) return null;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const w = WIDTH / bars.length;
  return (
    <figure class="overview-chart" data-testid={`overview-chart-${props.facet}`}>
      <figcaption>{props.title}</figcaption>
      <svg width={WIDTH} height={HEIGHT + 14} role="group" aria-label={props.title}>
        {bars.map((b, i) => {
          const h = Math.max(b.count > 0 ? 2 : 0, Math.round((b.count / max) * HEIGHT));
          const on = props.chosen.includes(b.value);
          return (
            <g
              key={b.value}
              role="button"
              tabIndex={0}
              aria-pressed={on}
              aria-label={t('overview_chart_bar', { label: b.label, count: formatCount(b.count) })}
              data-value={b.value}
              data-count={String(b.count)}
              class={`bar${on ? ' on' : ''}`}
              onClick={() => props.onToggle(b.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  props.onToggle(b.value);
                }
              }}
            >
              <title>{t('overview_chart_bar', { label: b.label, count: formatCount(b.count) })}</title>
              <rect x={i * w + 2} y={HEIGHT - h} width={Math.max(1, w - 4)} height={h} />
              <text x={i * w + w / 2} y={HEIGHT + 11} text-anchor="middle">
                {b.short ?? b.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

let formats: { locale: string; narrow: Intl.DateTimeFormat; long: Intl.DateTimeFormat } | null = null;

/**
 * Narrow month letters under the bars; the months' names in full in each bar's tooltip and the caption. Made once
 * per locale: a formatter takes a few tenths of a millisecond to make, and every answer re-renders the charts.
 */
function monthFormats(locale: string): { narrow: Intl.DateTimeFormat; long: Intl.DateTimeFormat } {
  if (formats?.locale !== locale) {
    formats = {
      locale,
      narrow: new Intl.DateTimeFormat(locale, { month: 'narrow', timeZone: 'UTC' }),
      long: new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
    };
  }
  return formats;
}

export function Charts(props: { counts: Readonly<Record<string, Readonly<Record<string, number>>>>; query: OverviewQuery; onToggle(facet: OverviewFacet, value: string): void }): JSX.Element {
  const age = props.counts.signInAge ?? {};
  const expiry = props.counts.expiryMonth ?? {};
  const ageBars = SIGN_IN_AGE_CODES.map((v) => ({ value: v, label: t(`overview_ageShort_${v.replace(/[^a-z0-9]/gi, '_')}`), count: age[v] ?? 0 }));
  // The next twelve months that have expiries, then "none" (expired assignments are in the state facet).
  const months = Object.keys(expiry)
    .filter((m) => /^\d{4}-\d{2}$/.test(m))
    .sort()
    .slice(0, 12);
  const { narrow, long } = monthFormats(uiLocale());
  const monthDate = (m: string): Date => new Date(`${m}-01T00:00:00Z`);
  const expiryBars = months.map((m) => ({ value: m, label: long.format(monthDate(m)), short: narrow.format(monthDate(m)), count: expiry[m] ?? 0 }));
  const range = months.length > 0 ? `${long.format(monthDate(months[0]))} – ${long.format(monthDate(months[months.length - 1]))}` : '';
  return (
    <div class="section overview-charts">
      <BarChart facet="signInAge" title={t('overview_chart_signIn')} bars={ageBars.some((b) => b.count > 0) ? ageBars : []} chosen={props.query.facets.signInAge ?? []} onToggle={(v) => props.onToggle('signInAge', v)} />
      <BarChart facet="expiryMonth" title={range ? t('overview_chart_expiry_range', { range }) : t('overview_chart_expiry')} bars={expiryBars} chosen={props.query.facets.expiryMonth ?? []} onToggle={(v) => props.onToggle('expiryMonth', v)} />
    </div>
  );
}
