// listAll: a collection read to its end, each page handed over as it arrives (the overview starts reading a
// package's assignments while the rest of the package listing is still on its way).
import { listAll } from '../../../src/graph/assignments';
import { createGraph } from '../../../src/graph/client';
import { fakeFetch, GRAPH, VirtualClock, type Route } from './fakes';

const PATH = 'identityGovernance/entitlementManagement/accessPackages';

function harness(route: Route) {
  const clock = new VirtualClock();
  const ff = fakeFetch(route, clock, 100);
  const graph = createGraph({ cloud: 'global', getToken: async () => 'tok', fetchImpl: ff.fetch, sleep: clock.sleep, now: clock.now, rng: () => 0.5 });
  return { clock, ff, graph };
}

/** Three pages of two values each, linked by $skiptoken. */
const pages: Route = (req) => {
  const at = Number(new URL(req.url).searchParams.get('$skiptoken') ?? '0');
  const next = at < 4 ? `${GRAPH}${PATH}?$skiptoken=${at + 2}` : undefined;
  return { status: 200, json: { value: [{ id: `p${at}` }, { id: `p${at + 1}` }], ...(next ? { '@odata.nextLink': next } : {}) } };
};

describe('listAll', () => {
  test('every value in order; each page handed over before the next is asked for', async () => {
    const { clock, ff, graph } = harness(pages);
    const handed: Array<{ ids: string[]; requestsSent: number }> = [];
    const all = await clock.run(listAll(graph, PATH, undefined, undefined, (values) => handed.push({ ids: values.map((v) => (v as { id: string }).id), requestsSent: ff.calls.length })));
    expect((all as Array<{ id: string }>).map((v) => v.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    expect(handed).toEqual([
      { ids: ['p0', 'p1'], requestsSent: 1 },
      { ids: ['p2', 'p3'], requestsSent: 2 },
      { ids: ['p4', 'p5'], requestsSent: 3 },
    ]);
    expect(clock.now()).toBe(300);
  });

  test('a next link to another host is refused and never requested', async () => {
    const { clock, ff, graph } = harness(() => ({ status: 200, json: { value: [{ id: 'a' }], '@odata.nextLink': 'https://evil.example.com/v1.0/x' } }));
    await expect(clock.run(listAll(graph, PATH))).rejects.toMatchObject({ code: 'RefusedUrl' });
    expect(ff.calls).toHaveLength(1);
  });

  test('a next link seen before is a paging loop, not an endless read', async () => {
    const { clock, graph } = harness(() => ({ status: 200, json: { value: [{ id: 'a' }], '@odata.nextLink': `${GRAPH}${PATH}?$skiptoken=same` } }));
    await expect(clock.run(listAll(graph, PATH))).rejects.toMatchObject({ code: 'PagingLoop' });
  });

  test('a caller that fails on a page stops the read: no further page is asked for', async () => {
    const { clock, ff, graph } = harness(pages);
    await expect(clock.run(listAll(graph, PATH, undefined, undefined, () => {
      throw new Error('refused');
    }))).rejects.toThrow('refused');
    expect(ff.calls).toHaveLength(1);
  });
});
