// The action log of the open package: who did what, when, with which result and Graph's words; failed
// entries can be retried per batch; the whole log exports as CSV.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { PolicyInfo } from '../../core/model';
import type { ActionEntry } from '../../messages';
import { saveBlob } from '../export-csv';
import { localDate } from '../words';
import { LocalTime } from '../components/LocalTime';
import { t, tn } from '../i18n';
import { TESTIDS } from '../testids';
import { Dialog } from './Dialog';
import type { ActionsModel } from './model';
import { badgeText, logFileName, logToCsv, sortedLog } from './status';

/** Rows rendered in the dialog; the CSV always holds the whole log. */
export const LOG_ROWS_SHOWN = 500;

export interface ActionLogProps {
  model: ActionsModel;
  packageName: string;
  policies: readonly PolicyInfo[];
  onClose(): void;
  now?: () => Date;
}

interface BatchSummary {
  batchId: string;
  kind: ActionEntry['kind'];
  at: string;
  failed: number;
  total: number;
}

function batches(entries: readonly ActionEntry[]): BatchSummary[] {
  const byId = new Map<string, BatchSummary>();
  for (const e of entries) {
    const b = byId.get(e.batchId) ?? { batchId: e.batchId, kind: e.kind, at: e.at, failed: 0, total: 0 };
    b.total++;
    if (e.result === 'failed') b.failed++;
    if (e.at > b.at) b.at = e.at;
    byId.set(e.batchId, b);
  }
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : -1));
}

export function ActionLog(props: ActionLogProps): JSX.Element {
  const { model } = props;
  const [saved, setSaved] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const entries = sortedLog(model.entries);
  const policyName = (id: string): string => props.policies.find((p) => p.id === id)?.displayName ?? '';
  const failedBatches = batches(model.entries).filter((b) => b.failed > 0);

  const exportLog = (): void => {
    const container = box.current;
    if (!container) return;
    const name = logFileName(props.packageName, (props.now ?? (() => new Date()))());
    saveBlob(container, new Blob([logToCsv(model.entries, policyName)], { type: 'text/csv;charset=utf-8' }), name);
    setSaved(name);
  };

  return (
    <Dialog title={t('actions_log_title')} onClose={props.onClose} testid={TESTIDS.actionLog}>
      <div class="act-log" ref={box}>
        <p class="act-note">
          {entries.length === 0 ? t('actions_log_empty') : tn('actions_log_entries', entries.length)}
        </p>
        {failedBatches.map((b) => (
          <p key={b.batchId}>
            <LocalTime iso={b.at}>{tn(`actions_log_failed_${b.kind}`, b.failed, { at: localDate(b.at) })}</LocalTime>{' '}
            <button type="button" data-testid={TESTIDS.retryBatch} data-batch={b.batchId} onClick={() => model.retry(b.batchId)}>
              {t('actions_log_retry')}
            </button>
          </p>
        ))}
        {entries.length > 0 ? (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('actions_log_when')}</th>
                  <th>{t('actions_log_who')}</th>
                  <th>{t('actions_log_what')}</th>
                  <th>{t('actions_log_result')}</th>
                  <th>{t('actions_log_message')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.slice(0, LOG_ROWS_SHOWN).map((e) => (
                  <tr key={`${e.batchId}|${e.key}`} data-result={e.result}>
                    <td>
                      <LocalTime iso={e.at} />
                    </td>
                    <td>{e.actor}</td>
                    <td>
                      {t(`actions_log_verb_${e.kind}`)} {e.label}
                      {e.policyId ? ` (${policyName(e.policyId) || e.policyId})` : ''}
                    </td>
                    <td>
                      {badgeText(e)}
                      {e.code && e.result === 'failed' ? ` (${e.code})` : ''}
                    </td>
                    <td class="msg">{[e.message, e.note].filter(Boolean).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {entries.length > LOG_ROWS_SHOWN ? (
              <p class="act-note">
                {t('actions_log_truncated', { shown: LOG_ROWS_SHOWN, all: entries.length })}
              </p>
            ) : null}
          </div>
        ) : null}
        {saved ? <p role="status">{t('actions_log_saved', { file: saved })}</p> : null}
      </div>
      <div class="act-buttons">
        <button type="button" data-testid={TESTIDS.exportLog} disabled={entries.length === 0} onClick={exportLog}>
          {t('actions_log_export')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('actions_close')}
        </button>
      </div>
    </Dialog>
  );
}
