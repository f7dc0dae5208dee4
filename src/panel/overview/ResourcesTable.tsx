// The overview's Resources view: each group, team, application or site the scope's packages grant, the
// packages that grant it (with the role) and how many delivered assignments hold it through each.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { summariseResources } from '../../core/overview/resources';
import { formatCount, t, tn } from '../i18n';
import { packageRoute } from './routes';
import type { OverviewModel } from './model';

/** Resources listed at once (the rest are counted; the filter narrows them). */
const SHOWN = 500;

export function ResourcesTable(props: { model: OverviewModel; names: ReadonlyMap<string, string> }): JSX.Element {
  const { model, names } = props;
  const resources = model.listing?.resources ?? null;
  const stats = model.view?.packages;
  const list = useMemo(() => (resources && stats ? summariseResources(new Map(Object.entries(resources)), stats) : []), [resources, stats]);
  if (resources === null) return <div class="section meta">{model.listing ? t('overview_resources_unavailable') : ''}</div>;
  return (
    <div class="section overview-resources" data-testid="overview-resources" data-count={String(list.length)}>
      <p class="meta">{t('overview_resources_note')}</p>
      <table>
        <thead>
          <tr>
            <th>{t('overview_col_resource')}</th>
            <th>{t('overview_col_resourceKind')}</th>
            <th>{t('overview_col_grantedBy')}</th>
            <th>{t('overview_col_holders')}</th>
          </tr>
        </thead>
        <tbody>
          {list.slice(0, SHOWN).map((r) => (
            <tr key={r.key} data-testid="overview-resource" data-resource-id={r.objectId} data-packages={String(r.grants.length)} data-holders={String(r.holders)}>
              <td title={r.objectId}>{r.displayName}</td>
              <td>{t(`overview_kind_${r.kind}`)}</td>
              <td>
                <ul class="overview-grants">
                  {r.grants.map((g, i) => (
                    <li key={`${g.packageId}-${i}`}>
                      <a href={packageRoute(g.packageId)}>{names.get(g.packageId) || g.packageId}</a> {t('overview_grant', { role: g.roleName, holders: formatCount(g.holders) })}
                    </li>
                  ))}
                </ul>
              </td>
              <td>{formatCount(r.holders)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length > SHOWN ? <p class="meta">{tn('overview_resources_more', list.length - SHOWN)}</p> : null}
    </div>
  );
}
