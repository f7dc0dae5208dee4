// In each rendered row: its latest action result (pending / removed / added / failed, Graph's words as the
// title), and for rows being delivered or failing delivery a "Status" button and then the request's state.
import type { JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import { shortUtc } from '../format';
import { TESTIDS } from '../testids';
import { useCurrentModel } from './hooks';
import { DELIVERY_STATES, type DeliveryView } from './model';
import { badgeText, badgeTitle } from './status';

export function deliveryText(v: DeliveryView): { text: string; title: string; state: string } {
  switch (v.kind) {
    case 'loading':
      return { text: 'checking…', title: 'Asking Graph for the request behind this assignment', state: 'loading' };
    case 'none':
      return { text: 'no request', title: 'Graph lists no assignment request for this assignment', state: 'none' };
    case 'error':
      return { text: 'status unavailable', title: v.message, state: 'error' };
    case 'found': {
      const s = v.status;
      const dates = [s.createdDateTime ? `created ${shortUtc(s.createdDateTime)} UTC` : '', s.completedDateTime ? `completed ${shortUtc(s.completedDateTime)} UTC` : '']
        .filter(Boolean)
        .join(', ');
      const text = [s.state || 'unknown', s.status, s.createdDateTime ? shortUtc(s.createdDateTime) : ''].filter(Boolean).join(' · ');
      return { text, title: `Request ${s.requestId} (${s.requestType || 'type unknown'}): ${s.state || 'state unknown'}${s.status ? `, ${s.status}` : ''}${dates ? `; ${dates}` : ''}`, state: s.state };
    }
  }
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
          title="Ask Graph for the delivery status of this assignment's request"
          onClick={() => model.requestDelivery([row.id])}
        >
          Status
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
