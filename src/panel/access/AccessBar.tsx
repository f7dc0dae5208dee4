// The access check's controls: run the check, its status counts, each resource with what was found, the
// principals holding a role outside the package (exportable), the Fix (select the assignments whose access
// is missing, for "Reprocess selected") and the re-check of selected rows.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { csvFileName, recordsToCsv } from '../../core/csv';
import type { AccessResourceInfo } from '../../protocol/access';
import { saveBlob } from '../export-csv';
import { useStore } from '../hooks';
import { t, tn } from '../i18n';
import type { PanelContext } from '../toolbar';
import { AccessModel, accessSlot } from './model';
import { reasonText } from './words';

/** Outside principals rendered per resource; the export has them all. */
export const OUTSIDE_SHOWN = 1000;

const ACCESS_CSS = `
.acc-section { display: flex; flex-direction: column; gap: 4px; }
.acc-section.started { flex-basis: 100%; border-top: 1px solid var(--border); padding-top: 4px; }
.acc-line { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.acc-resources { margin: 0; padding-left: 18px; max-height: 260px; overflow: auto; }
.acc-note { color: var(--fg-muted); }
.acc-error { color: var(--danger); }
.acc-missing { color: var(--danger); }
`;

const adopted = new WeakSet<ShadowRoot>();

/** Adds the access check's sheet next to the panel's (CSSOM only: the portal's CSP refuses style elements). */
function adoptAccessStyles(root: ShadowRoot | null): void {
  if (!root || adopted.has(root)) return;
  if (typeof CSSStyleSheet === 'undefined' || typeof CSSStyleSheet.prototype.replaceSync !== 'function' || !('adoptedStyleSheets' in root)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(ACCESS_CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  adopted.add(root);
}

function resourceText(r: AccessResourceInfo): string {
  const name = t('access_resource_name', { name: r.displayName, role: r.roleName });
  if (r.status === 'checking') return t('access_resource_checking', { resource: name });
  if (r.status === 'not-checked') return t('access_resource_not_checked', { resource: name, reason: reasonText(r.reason, r.detail) });
  return t('access_resource_checked', { resource: name, holders: r.holders ?? 0, missing: r.missing ?? 0, outside: r.outside ?? 0 });
}

export function AccessBar({ store, link, root }: PanelContext): JSX.Element | null {
  const model = useMemo(() => new AccessModel(store, link), [store, link]);
  const [, setTick] = useState(0);
  useEffect(() => {
    model.start();
    accessSlot.set(model);
    const off = model.subscribe(() => setTick((n) => n + 1));
    return () => {
      off();
      if (accessSlot.get() === model) accessSlot.set(null);
      model.dispose();
    };
  }, [model]);
  useEffect(() => adoptAccessStyles(root), [root]);
  const state = useStore(store);
  const v = model.view;
  const started = v.loading || v.resources.length > 0 || v.rows.size > 0 || v.error !== null;
  const viewRows = store.view().viewRows;
  const counts = useMemo(() => model.countsOf(viewRows), [model, viewRows, v.rows]);
  const missingIds = useMemo(() => (v.loading ? [] : model.missingIdsOf(viewRows)), [model, viewRows, v.loading]);
  const selected = [...state.selection];
  const [container, setContainer] = useState<HTMLElement | null>(null);

  const exportOutside = (): void => {
    const records: string[][] = [];
    for (const r of v.resources) {
      for (const p of v.outside.get(r.id) ?? []) records.push([r.displayName, r.roleName, r.objectId, p.objectId, p.type, p.displayName, p.principalName]);
    }
    const csv = recordsToCsv(['Resource', 'Role', 'Resource ID', 'Object ID', 'Type', 'Display name', 'User principal name'], records);
    const name = csvFileName(state.info?.displayName || state.packageId || '', 'all', new Date()).replace('-assignments-all-', '-outside-package-');
    if (container) saveBlob(container, new Blob([csv], { type: 'text/csv;charset=utf-8' }), name);
  };
  const outsideTotal = v.resources.reduce((n, r) => n + (v.outside.get(r.id)?.length ?? 0), 0);

  return (
    <div class={started ? 'acc-section started' : 'acc-section'} ref={setContainer}>
      <div class="acc-line">
        <button type="button" data-testid="check-access" disabled={v.loading || state.packageId === null} onClick={() => model.check()} title={t('access_check_title')}>
          {v.loading ? t('access_checking') : t('access_check')}
        </button>
        {started ? (
          <span
            data-testid="access-status"
            data-loading={String(v.loading)}
            data-complete={String(counts.complete)}
            data-missing={String(counts.missing)}
            data-not-checked={String(counts['not-checked'])}
            data-pending={String(counts.pending)}
            aria-live="polite"
          >
            {v.loading
              ? t('access_status_loading')
              : t('access_status', { complete: counts.complete, missing: counts.missing, notChecked: counts['not-checked'], pending: counts.pending })}
          </span>
        ) : null}
        {missingIds.length > 0 ? (
          <button
            type="button"
            data-testid="access-fix"
            title={t('access_fix_title')}
            onClick={() => {
              store.clearSelection();
              store.setSelected(missingIds, true);
            }}
          >
            {tn('access_fix', missingIds.length)}
          </button>
        ) : null}
        {v.rows.size > 0 && selected.length > 0 ? (
          <button type="button" data-testid="access-recheck" disabled={v.loading} onClick={() => model.recheck(selected)}>
            {tn('access_recheck', selected.length)}
          </button>
        ) : null}
      </div>
      {v.error ? <div class="acc-error" role="alert">{t('access_error', { message: v.error })}</div> : null}
      {v.resources.length > 0 ? (
        <ul class="acc-resources" data-testid="access-resources">
          {v.resources.map((r) => {
            const outside = v.outside.get(r.id) ?? [];
            return (
              <li key={r.id} data-testid="access-resource" data-resource-id={r.objectId} data-status={r.status} data-reason={r.reason}>
                <span class={r.status === 'checked' && (r.missing ?? 0) > 0 ? 'acc-missing' : undefined}>{resourceText(r)}</span>
                {r.kind === 'groupMember' && r.status === 'checked' ? <div class="acc-note">{t('access_direct_only')}</div> : null}
                {outside.length > 0 ? (
                  <details>
                    <summary>{tn('access_outside_count', outside.length)}</summary>
                    <ul>
                      {outside.slice(0, OUTSIDE_SHOWN).map((p) => (
                        <li key={p.objectId} data-testid="access-outside" data-resource-id={r.objectId} data-object-id={p.objectId} data-type={p.type}>
                          {t('access_outside_entry', { name: p.displayName || p.objectId, upn: p.principalName, type: p.type })}
                        </li>
                      ))}
                    </ul>
                    {outside.length > OUTSIDE_SHOWN ? <div class="acc-note">{tn('access_outside_more', outside.length - OUTSIDE_SHOWN)}</div> : null}
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {outsideTotal > 0 && !v.loading ? (
        <div class="acc-line">
          <span class="acc-note">{t('access_outside_legitimate')}</span>
          <button type="button" data-testid="access-outside-export" onClick={exportOutside}>
            {t('access_outside_export')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
