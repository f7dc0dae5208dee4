// CSV export: exactly the rows shown (filters and order applied), or every row. A list that is still
// loading, or whose load failed part-way, cannot be exported: a silently truncated export is an incident.
// A list with pages that finally failed can be exported only after the admin confirms it is incomplete.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ViewRow } from '../../core/model';
import { exportCsv } from '../export-csv';
import { t } from '../i18n';
import { plural } from '../format';
import { TESTIDS } from '../testids';

type Kind = 'filtered' | 'all';

export interface ExportButtonsProps {
  shown: readonly ViewRow[];
  all: readonly ViewRow[];
  packageName: string;
  /** Why exporting is not possible right now, or null when it is. */
  blockedReason: string | null;
  /** Pages that finally failed (the export would be incomplete). */
  missingPages: number;
  /** CSV columns not final yet (user details still loading): exporting is allowed, and says so. */
  incompleteColumns?: readonly string[];
  /** Where the temporary <a download> goes (inside the shadow root). */
  container(): Node | null;
  now?: () => Date;
}

export function ExportButtons(props: ExportButtonsProps): JSX.Element {
  const [busy, setBusy] = useState<Kind | null>(null);
  const [confirming, setConfirming] = useState<Kind | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const run = async (kind: Kind): Promise<void> => {
    const container = props.container();
    if (!container) return;
    const rows = kind === 'filtered' ? props.shown : props.all;
    setConfirming(null);
    setBusy(kind);
    setMessage(null);
    try {
      const name = await exportCsv(container, rows, props.packageName, kind, (props.now ?? (() => new Date()))());
      setMessage({ kind: 'ok', text: `Saved ${name} (${plural(rows.length, 'row')}).` });
    } catch (e) {
      setMessage({ kind: 'error', text: `Export failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(null);
    }
  };

  const start = (kind: Kind): void => {
    if (props.missingPages > 0) setConfirming(kind);
    else void run(kind);
  };

  const disabled = busy !== null || props.blockedReason !== null;
  const title = props.blockedReason ?? undefined;
  return (
    <>
      <button
        type="button"
        data-testid={TESTIDS.exportCsv}
        disabled={disabled}
        title={title ?? 'Download the rows shown (after filters, in this order) as CSV'}
        aria-busy={busy === 'filtered'}
        onClick={() => start('filtered')}
      >
        {busy === 'filtered' ? 'Exporting…' : `Export ${props.shown.length.toLocaleString('en-US')} shown`}
      </button>
      <button
        type="button"
        data-testid={TESTIDS.exportAll}
        disabled={disabled}
        title={title ?? 'Download every assignment of the package as CSV'}
        aria-busy={busy === 'all'}
        onClick={() => start('all')}
      >
        {busy === 'all' ? 'Exporting…' : 'Export all'}
      </button>
      {props.incompleteColumns?.length ? (
        <span class="note" role="note" data-testid={TESTIDS.exportIncomplete} data-columns={props.incompleteColumns.join(',')}>
          {t('exportprogress_incomplete', { columns: props.incompleteColumns.join(', ') })}
        </span>
      ) : null}
      {confirming ? (
        <span class="alert warn" role="alert" data-testid={TESTIDS.exportWarning}>
          {plural(props.missingPages, 'page')} could not be read: the CSV will miss those rows.{' '}
          <button type="button" data-testid={TESTIDS.exportAnyway} onClick={() => void run(confirming)}>
            Export anyway
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </span>
      ) : null}
      {message ? (
        <span class={message.kind === 'error' ? 'message-error' : undefined} role="status">
          {message.text}
        </span>
      ) : null}
    </>
  );
}
