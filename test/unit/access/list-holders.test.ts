// Reading one resource's holders: each next page is asked for before the current page is folded, so a chain
// of pages costs its round trips only; every page is handed on once, in order.
import type { AccessResource } from '../../../src/core/access/resources';
import { holderId, holderOf, listHolders } from '../../../src/graph/access';
import type { Graph } from '../../../src/graph/client';

const ROOT = 'https://graph.microsoft.com/';
const group: AccessResource = { id: 'rs', kind: 'groupMember', objectId: 'g1', displayName: 'G', roleName: 'Member', originSystem: 'AadGroup' };

function pagedGraph(pages: number): { graph: Graph; events: string[] } {
  const events: string[] = [];
  const get = async (url: string): Promise<unknown> => {
    const n = /skip=(\d+)/.exec(url)?.[1] ?? '0';
    events.push(`get ${n}`);
    await new Promise((r) => setTimeout(r, 1));
    const k = Number(n);
    return {
      value: [{ id: `u${k}`, displayName: `U${k}` }],
      ...(k + 1 < pages ? { '@odata.nextLink': `${ROOT}v1.0/groups/g1/members?skip=${k + 1}` } : {}),
    };
  };
  return { graph: { graphRoot: ROOT, get } as unknown as Graph, events };
}

describe('listHolders', () => {
  it('asks for the next page before folding the current one, and hands on every page in order', async () => {
    const { graph, events } = pagedGraph(3);
    const seen: string[] = [];
    await listHolders(graph, group, (items) => {
      const ids = items.map((item) => holderId(group, item));
      events.push(`fold ${ids.join(',')}`);
      seen.push(...ids);
    });
    expect(events).toEqual(['get 0', 'get 1', 'fold u0', 'get 2', 'fold u1', 'fold u2']);
    expect(seen).toEqual(['u0', 'u1', 'u2']);
  });

  it('refuses a next link outside Graph without folding further', async () => {
    const graph = { graphRoot: ROOT, get: async () => ({ value: [{ id: 'u0' }], '@odata.nextLink': 'https://evil.example/next' }) } as unknown as Graph;
    const seen: string[] = [];
    await expect(listHolders(graph, group, (items) => seen.push(...items.map((item) => holderId(group, item))))).rejects.toMatchObject({ code: 'RefusedUrl' });
  });

  it('reads an app role holder only for the package\'s app role (any case), and describes a holder in full', () => {
    const app: AccessResource = { ...group, kind: 'appRole', objectId: 'sp1', appRoleId: 'ABC' };
    expect(holderId(app, { principalId: 'p1', appRoleId: 'abc' })).toBe('p1');
    expect(holderId(app, { principalId: 'p2', appRoleId: 'other' })).toBe('');
    expect(holderOf(app, { principalId: 'p1', appRoleId: 'abc', principalType: 'ServicePrincipal', principalDisplayName: 'Bot' })).toEqual({
      objectId: 'p1',
      type: 'servicePrincipal',
      displayName: 'Bot',
      principalName: '',
    });
    expect(holderOf(group, { '@odata.type': '#microsoft.graph.group', id: 'g9', displayName: 'Interns' })?.type).toBe('group');
  });
});
