/** @jest-environment jsdom */
// An assignment's details from the overview: the details model reads the overview's window of rows, asks the
// worker for the row's own package, and the overview counts the answers of what was sent from there.
import type { OverviewRow } from '../../../src/core/overview/store';
import type { PanelRequest } from '../../../src/messages';
import { DetailsModel } from '../../../src/panel/details/model';
import { OverviewModel } from '../../../src/panel/overview/model';
import { packView } from '../../../src/protocol/overview';
import { overviewSource } from '../../../src/panel/overview/OverviewDetails';
import { viewRow } from '../core/fixtures';
import { fakeLink } from '../panel/render';

const orow = (id: string, packageId: string, index: number): OverviewRow => ({
  ...viewRow({ id, displayName: `Person ${id}` }),
  index,
  selected: false,
  packageId,
  packageName: `Package ${packageId}`,
  catalogName: 'General',
  held: 1,
});

function setup() {
  const link = fakeLink();
  const overview = new OverviewModel(link);
  overview.open('tenant');
  const seq = () => (link.posted.filter((p) => p.type === 'overview' && p.request.kind === 'query').at(-1) as Extract<PanelRequest, { type: 'overview' }> & { request: { seq: number } }).request.seq;
  const showWindow = (rows: OverviewRow[]) =>
    link.emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: rows.length, offset: 0, rows, people: [], counts: {}, packages: [], selected: 0 }, new Map(), 0) });
  const details = new DetailsModel(overviewSource(overview), link, () => 'batch-1');
  details.start();
  return { link, overview, details, showWindow };
}

describe('details from the overview', () => {
  afterEach(() => jest.useRealTimers());

  test("opens for the row's own package and moves along the window's order", () => {
    jest.useFakeTimers();
    const { link, details, showWindow } = setup();
    showWindow([orow('a1', 'pkg-A', 0), orow('b1', 'pkg-B', 1), orow('a2', 'pkg-A', 2)]);
    details.show('b1');
    expect(link.posted.at(-1)).toMatchObject({ type: 'details-open', packageId: 'pkg-B', assignmentId: 'b1' });
    expect(details.open).toMatchObject({ packageId: 'pkg-B', row: { id: 'b1' } });
    expect([details.neighbour(-1), details.neighbour(1)]).toEqual(['a1', 'a2']);
    details.move(1);
    expect(link.posted.at(-1)).toMatchObject({ type: 'details-open', packageId: 'pkg-A', assignmentId: 'a2' });
    details.dispose();
  });

  test('a row scrolled out of the window keeps its details and its package', () => {
    jest.useFakeTimers();
    const { link, details, showWindow } = setup();
    showWindow([orow('b1', 'pkg-B', 0)]);
    details.show('b1');
    showWindow([orow('z9', 'pkg-Z', 500)]);
    expect(details.rowOf('b1')).toMatchObject({ id: 'b1', packageId: 'pkg-B' });
    details.sendRemove('b1', 'from the details');
    expect(link.posted.at(-1)).toMatchObject({ type: 'remove', packageId: 'pkg-B', assignmentIds: ['b1'] });
    // An id the overview never showed names no package: nothing is sent.
    const before = link.posted.length;
    details.show('never-seen');
    expect(link.posted.length).toBe(before);
    details.dispose();
  });

  test('another scope closes what was open', () => {
    jest.useFakeTimers();
    const { overview, details, showWindow } = setup();
    showWindow([orow('b1', 'pkg-B', 0)]);
    details.show('b1');
    overview.open('catalog:c1');
    expect(details.open).toBeNull();
    details.dispose();
  });

  test('the overview counts the answers of a batch sent from the details view, per kind', () => {
    jest.useFakeTimers();
    const { link, overview } = setup();
    overview.track('batch-1', 'reprocess');
    const entry = (batchId: string, result: string) => ({ batchId, key: `k-${batchId}-${result}`, result }) as never;
    link.emit({ type: 'actions', packageId: 'pkg-B', entries: [entry('batch-1', 'pending'), entry('other', 'failed')] } as never);
    expect(overview.removal?.kind).toBe('reprocess');
    expect(overview.removalStatus()).toEqual({ pending: 1, failed: 0, done: 0 });
    link.emit({ type: 'actions', packageId: 'pkg-B', entries: [entry('batch-1', 'reprocessed')] } as never);
    expect(overview.removalStatus()).toEqual({ pending: 0, failed: 0, done: 1 });
  });
});
