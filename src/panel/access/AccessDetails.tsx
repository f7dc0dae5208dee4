// The access check's result for the assignment open in the details view: its value, and per resource of the
// package complete / missing / not checked (with why) / pending. Shown once a check ran for the package.
import type { JSX } from 'preact';
import { accessNow, accessPerResource, type ResourceAccessValue } from '../../core/access/per-row';
import type { DetailsSectionProps } from '../details/sections';
import { t } from '../i18n';
import { useSlotModel } from '../model-slot';
import { accessSlot } from './model';
import { reasonText } from './words';

const RESOURCE_WORDS: Record<Exclude<ResourceAccessValue, 'not-checked'>, string> = {
  complete: 'access_res_complete',
  missing: 'access_res_missing',
  pending: 'access_res_pending',
  checking: 'access_res_checking',
};

const VALUE_WORDS: Record<ResourceAccessValue, string> = {
  complete: 'access_value_complete',
  missing: 'access_value_missing',
  'not-checked': 'access_value_not_checked',
  pending: 'access_value_pending',
  checking: 'access_value_checking',
};

export function AccessDetails({ assignmentId, row }: DetailsSectionProps): JSX.Element | null {
  const model = useSlotModel(accessSlot);
  const v = model?.view;
  if (!model || !v || (v.rows.size === 0 && !v.loading) || v.resources.length === 0) return null;
  if (v.rows.size === 0) {
    return (
      <section aria-label={t('access_details_title')} data-testid="details-access" data-loading="true">
        <h3>{t('access_details_title')}</h3>
        <p class="details-note">{t('access_status_loading')}</p>
      </section>
    );
  }
  // The row as the list holds it now: a row the check did not cover (added or changed since) says so.
  const entry = row ? accessNow(model.entry(assignmentId), row.state) : model.entry(assignmentId);
  if (!entry) return null;
  const per = accessPerResource(entry, v.resources);
  const byId = new Map(v.resources.map((r) => [r.id, r]));
  return (
    <section aria-label={t('access_details_title')} data-testid="details-access" data-access={entry.value} data-loading={String(v.loading)}>
      <h3>{t('access_details_title')}</h3>
      <p>{v.loading && per.some((p) => p.value === 'checking') ? t(VALUE_WORDS.checking) : t(VALUE_WORDS[entry.value])}</p>
      <ul class="details-access">
        {per.map((p) => {
          const r = byId.get(p.resourceId);
          const name = r ? t('access_resource_name', { name: r.displayName, role: r.roleName }) : p.resourceId;
          return (
            <li key={p.resourceId} data-testid="details-access-resource" data-resource-id={r?.objectId ?? p.resourceId} data-access={p.value} data-reason={p.reason}>
              {p.value === 'not-checked' ? t('access_res_not_checked', { resource: name, reason: reasonText(p.reason, r?.detail) }) : t(RESOURCE_WORDS[p.value], { resource: name })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
