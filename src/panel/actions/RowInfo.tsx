// In each rendered row: its latest action result (pending / removed / added / failed, Graph's words as the
// title), and for rows being delivered or failing delivery a "Check delivery" button and then a badge that says
// what it is ("Delivery: failed 3 days ago"), Graph's values in its title.
import type { JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import { t } from '../i18n';
import { agoText, dateWords, deliveryStateText } from '../words';
import { TESTIDS } from '../testids';
import { useCurrentModel } from './hooks';
import { DELIVERY_STATES, type DeliveryView } from './model';
import { badgeText, badgeTitle } from './status';

export function deliveryText(v: DeliveryView, now = Date.now()): { text: string; title: string; state: string } {
  switch (v.kind) {
    case 'loading':
      return { text: t('rowinfo_checking'), title: t('rowinfo_checkingTitle'), state: 'loading' };
    case 'none':
      return { text: t('rowinfo_noRequest'), title: t('rowinfo_noRequestTitle'), state: 'none' };
    case 'error':
      return { text: t('rowinfo_unavailable'), title: v.message, state: 'error' };
    case 'found': {
      const s = v.status;
      const when = s.completedDateTime || s.createdDateTime;
      const state = s.state ? deliveryStateText(s.state) : t('rowinfo_unknown');
      const text = when ? t('rowinfo_deliveryAgo', { state, ago: agoText(when, now) }) : t('rowinfo_delivery', { state });
      const title = t('rowinfo_requestTitle', {
        id: s.requestId,
        type: s.requestType || t('rowinfo_unknown'),
        state: s.state || t('rowinfo_unknown'),
        status: s.status || t('rowinfo_unknown'),
        created: dateWords(s.createdDateTime).title || t('rowinfo_unknown'),
        completed: dateWords(s.completedDateTime).title || t('rowinfo_unknown'),
      });
      return { text, title, state: s.state };
    }
  }
}

/**
 * The most a result badge, the "Check delivery" button and a delivery status take in a row's first cell
 * (English, the longest state: "Delivery: partially delivered 30 days ago").
 */
export const ROW_INFO_WIDTHS = { badge: 90, button: 92, status: 210 } as const;

/** The first column's extra width for what the rows show now (the table's hook, see registerRowAddon). */
export function useRowInfoWidth(): number {
  const parts = useCurrentModel()?.rowInfoParts();
  if (!parts) return 0;
  return (parts.badge ? ROW_INFO_WIDTHS.badge : 0) + (parts.delivery === 'none' ? 0 : ROW_INFO_WIDTHS[parts.delivery]);
}

export function RowInfo(props: { row: ViewRow }): JSX.Element | null {
  const model = useCurrentModel();
  if (!model) return null;
  const { row } = props;
  const entry = model.resultFor(row);
  const delivering = DELIVERY_STATES.has(row.state);
  const delivery = delivering ? model.delivery.get(row.id) : undefined;
  const info = delivery ? deliveryText(delivery) : null;
  return (
    <>
      {entry ? (
        <span class={`act-badge ${entry.result}`} data-testid={TESTIDS.actionBadge} data-result={entry.result} title={badgeTitle(entry)}>
          {badgeText(entry)}
        </span>
      ) : null}
      {delivering && (!delivery || delivery.kind === 'error') ? (
        <button
          type="button"
          class="act-mini"
          tabIndex={-1}
          data-testid={TESTIDS.deliveryButton}
          title={t('rowinfo_checkTitle')}
          onClick={() => model.requestDelivery([row.id])}
        >
          {t('rowinfo_check')}
        </button>
      ) : null}
      {info ? (
        <span class="act-delivery" data-testid={TESTIDS.deliveryInfo} data-state={info.state} title={info.title}>
          {info.text}
        </span>
      ) : null}
    </>
  );
}
