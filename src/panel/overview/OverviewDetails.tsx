// An assignment's details from the overview: the package panel's details view and confirmations (remove,
// reprocess, extend through the one action queue), for the package of the row it was opened on. The
// overview's rows live in the worker and the panel holds only the visible window, so the source also keeps
// the last row it was asked for: a row scrolled out of the window keeps its details.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { OverviewRow } from '../../core/overview/store';
import { DetailsModel, type DetailsSource } from '../details/model';
import { DetailsPane, useCloud, useModel, type Confirm } from '../details/DetailsFeature';
import { adoptDetailsStyles } from '../details/styles';
import type { WorkerLink } from '../worker-link';
import type { OverviewModel } from './model';

/** The overview's assignment rows as a details source: the window's rows, in its order, then the last one seen. */
export function overviewSource(model: OverviewModel): DetailsSource {
  let last: OverviewRow | null = null;
  const windowRows = (): readonly OverviewRow[] => (model.view?.tab === 'assignments' ? model.view.rows : []);
  const find = (assignmentId: string): OverviewRow | null => {
    const id = assignmentId.toLowerCase();
    const row = windowRows().find((r) => r.id.toLowerCase() === id) ?? (last?.id.toLowerCase() === id ? last : null);
    if (row) last = row;
    return row;
  };
  return {
    packageOf: (assignmentId) => find(assignmentId)?.packageId ?? null,
    rowOf: find,
    neighbour(assignmentId, delta) {
      const rows = windowRows();
      const at = rows.findIndex((r) => r.id === assignmentId);
      const next = at < 0 ? null : rows[at + delta];
      return next ? next.id : null;
    },
    onContextChange(cb) {
      // Another scope (or the overview closed): what was open belongs to rows no longer listed.
      let scope = model.scope;
      return model.subscribe(() => {
        if (model.scope === scope) return;
        scope = model.scope;
        last = null;
        cb();
      });
    },
  };
}

export interface OverviewDetailsProps {
  model: OverviewModel;
  link: WorkerLink;
  root: ShadowRoot | null;
  now: number;
  /** Receives the opener: the overview's rows call it with their assignment id. */
  onOpener(open: ((assignmentId: string) => void) | null): void;
}

export function OverviewDetails(props: OverviewDetailsProps): JSX.Element | null {
  const { model, link, root } = props;
  const details = useMemo(() => new DetailsModel(overviewSource(model), link), [model, link]);
  const [confirm, setConfirm] = useState<Confirm>(null);
  useEffect(() => {
    details.start();
    props.onOpener((id) => details.show(id));
    return () => {
      props.onOpener(null);
      details.dispose();
    };
  }, [details]);
  useEffect(() => adoptDetailsStyles(root), [root]);
  useModel(details);
  const cloud = useCloud();
  const row = details.open?.row as OverviewRow | null | undefined;
  const signInNote = model.state?.signInNote ?? null;
  return (
    <DetailsPane
      model={details}
      confirm={confirm}
      setConfirm={setConfirm}
      packageName={row?.packageName || details.open?.packageId || ''}
      catalogName={row?.catalogName ?? ''}
      catalogId={model.listing?.packages.find((p) => p.id === details.open?.packageId)?.catalogId ?? null}
      staleAfterDays={model.staleDays()}
      signIn={signInNote ? { available: false, reason: signInNote } : { available: true }}
      now={props.now}
      cloud={cloud}
      focusBehind={() => root?.querySelector<HTMLElement>('[data-testid="overview"] .table-scroll')?.focus()}
      onSent={(batchId, kind) => model.track(batchId, kind)}
    />
  );
}
