// The overview's column store against a plain reference written here: rows built from the package rows and
// users with the contract's stale rule (toViewRows), filtered and counted the obvious way.
import Papa from 'papaparse';
import { CSV_HEADER, csvRecord } from '../../../src/core/csv';
import type { Row, UserInfo, ViewRow } from '../../../src/core/model';
import { OVERVIEW_CSV_HEADER, overviewCsvChunks } from '../../../src/core/overview/csv';
import { isoOf, msOf, PackedIds } from '../../../src/core/overview/ids';
import { OVERVIEW_FACETS, OverviewStore, type OverviewFacet, type OverviewPackage, type OverviewQuery, type StoreMark, type StoreSnapshot } from '../../../src/core/overview/store';
import { STALE_REASONS, toViewRows } from '../../../src/core/stale';
import { DAY, daysAgo, NOW, row, user } from '../core/fixtures';

/** A small seeded generator, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PACKAGES: OverviewPackage[] = [
  { id: 'p-sales', displayName: 'Sales', catalogId: 'c-1', catalogName: 'General' },
  { id: 'p-finance', displayName: 'Finance', catalogId: 'c-1', catalogName: 'General' },
  { id: 'p-lab', displayName: 'Lab', catalogId: 'c-2', catalogName: 'Research' },
];

interface World {
  rows: Array<{ packageId: string; row: Row }>;
  users: UserInfo[];
}

function world(seed: number, n = 400): World {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const people = Array.from({ length: 60 }, (_, i) => ({
    objectId: i % 13 === 12 ? null : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: i % 11 === 3 ? `=cmd|"${i}", x` : `Person ${i} ${pick(['Lindqvist', 'Ng', 'Okafor', 'Müller'])}`,
    sp: i % 17 === 16,
  }));
  const rows: World['rows'] = [];
  for (let k = 0; k < n; k++) {
    const p = pick(people);
    const packageId = pick(PACKAGES).id;
    const id = k % 50 === 7 ? `Not-A-Guid-${k}` : `10000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    rows.push({
      packageId,
      row: row({
        id,
        state: pick(['delivered', 'delivered', 'delivered', 'expired', 'delivering', 'deliveryFailed']),
        status: pick(['Delivered', 'DeliveryFailed', 'Expired', '']),
        policyId: `pol-${packageId}`,
        policyName: `Policy of ${packageId}`,
        start: r() < 0.1 ? null : daysAgo(Math.floor(r() * 900)),
        expiry: r() < 0.4 ? null : new Date(NOW + Math.floor((r() - 0.3) * 400) * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        expired: r() < 0.8 ? null : daysAgo(3),
        subjectId: `s-${p.name}`,
        objectId: p.objectId,
        displayName: p.name,
        principalName: p.objectId ? `${p.name.split(' ').join('.').toLowerCase()}@contoso.com` : '',
        email: `${p.name.split(' ')[1]}@example.org`,
        subjectType: p.sp ? 'servicePrincipal' : 'user',
      }),
    });
  }
  const users = people
    .filter((p) => p.objectId && !p.sp && r() < 0.9)
    .map((p) =>
      user({
        id: p.objectId!,
        deleted: r() < 0.05,
        accountEnabled: r() < 0.85,
        userType: pick(['Member', 'Guest', null]),
        externalUserState: pick(['PendingAcceptance', 'Accepted', null]),
        lastSuccessfulSignIn: r() < 0.2 ? null : daysAgo(Math.floor(r() * 500)),
      }),
    );
  return { rows, users };
}

function load(w: World, staleAfterDays = 90): OverviewStore {
  const store = new OverviewStore({ now: NOW, staleAfterDays, signInAvailable: true });
  store.setPackages(PACKAGES);
  // Pages of different packages interleave, as concurrent loads deliver them.
  for (let i = 0; i < w.rows.length; i += 7) {
    const page = w.rows.slice(i, i + 7);
    for (const p of PACKAGES) {
      const mine = page.filter((x) => x.packageId === p.id).map((x) => x.row);
      if (mine.length) store.add(p.id, mine);
    }
  }
  store.setUsers(w.users);
  return store;
}

/** The reference: each row as the package panel would see it, with its package and facet values. */
function reference(w: World, staleAfterDays = 90) {
  const users = new Map(w.users.map((u) => [u.id, u]));
  const views = toViewRows(
    w.rows.map((x) => x.row),
    users,
    { now: NOW, staleAfterDays, signInAvailable: true },
  );
  const key = (v: ViewRow): string => (v.objectId ? `o:${v.objectId}` : `s:${v.subjectId}`);
  const held = new Map<string, Set<string>>();
  w.rows.forEach((x, i) => {
    if (views[i].state === 'expired') return;
    const s = held.get(key(views[i])) ?? new Set<string>();
    s.add(x.packageId);
    held.set(key(views[i]), s);
  });
  return w.rows.map((x, i) => {
    const v = views[i];
    const u = v.user && !v.user.deleted ? v.user : null;
    const sp = v.subjectType === 'servicePrincipal';
    const kind = sp ? 'servicePrincipal' : u?.userType === 'Member' ? 'member' : u?.userType === 'Guest' ? 'guest' : 'other';
    const account = v.objectId === null ? 'not-in-directory' : !v.user ? 'unknown' : v.user.deleted ? 'deleted' : v.user.accountEnabled ? 'enabled' : 'disabled';
    const h = held.get(key(v))?.size ?? 0;
    const values: Record<OverviewFacet, string[]> = {
      package: [x.packageId],
      catalog: [PACKAGES.find((p) => p.id === x.packageId)!.catalogId!],
      state: [v.state],
      kind: [kind],
      account: [account],
      stale: v.staleReasons.length ? [...v.staleReasons] : ['not-stale'],
      signInAge: [],
      expiryMonth: [],
      held: [h === 0 ? '0' : h === 1 ? '1' : h <= 5 ? '2-5' : '6+'],
    };
    return { view: v, packageId: x.packageId, values, held: h };
  });
}

const matches = (ref: ReturnType<typeof reference>[number], q: OverviewQuery, skip?: OverviewFacet): boolean => {
  const needle = q.search.toLowerCase();
  const v = ref.view;
  if (needle && ![v.displayName, v.principalName, v.email, v.objectId ?? ''].some((s) => s.toLowerCase().includes(needle))) return false;
  for (const f of ['package', 'catalog', 'state', 'kind', 'account', 'stale', 'held'] as OverviewFacet[]) {
    if (f === skip) continue;
    const chosen = q.facets[f];
    if (chosen?.length && !ref.values[f].some((x) => chosen.includes(x))) return false;
  }
  return true;
};

describe('OverviewStore', () => {
  it('gives every row back exactly as the package panel sees it, with its package, catalog and packages held', () => {
    const w = world(1);
    const store = load(w);
    const ref = reference(w);
    const { order } = store.query({ search: '', facets: {} });
    expect(order.length).toBe(w.rows.length);
    const byId = new Map(ref.map((r) => [r.view.id, r]));
    for (const i of order) {
      const got = store.row(i);
      const want = byId.get(got.id)!;
      const { user: gotUser, connectedOrgId: _a, callouts: _b, packageId, packageName, catalogName, held, index: _i, selected: _s, ...rest } = got;
      const { user: wantUser, connectedOrgId: _c, callouts: _d, ...wantRest } = want.view;
      expect(rest).toEqual(wantRest);
      expect(gotUser).toEqual(wantUser);
      expect(packageId).toBe(want.packageId);
      expect(packageName).toBe(PACKAGES.find((p) => p.id === want.packageId)!.displayName);
      expect(catalogName).toBe(PACKAGES.find((p) => p.id === want.packageId)!.catalogName);
      expect(held).toBe(want.held);
    }
    // Ordered by package name, then display name.
    const names = [...order].map((i) => store.row(i)).map((r) => `${r.packageName}|${r.displayName.toLowerCase()}`);
    expect(names).toEqual([...names].sort());
  });

  it.each([1, 2, 3, 4, 5])('filters, searches and counts like the plain reference (seed %i)', (seed) => {
    const w = world(seed);
    const store = load(w);
    const ref = reference(w);
    const queries: OverviewQuery[] = [
      { search: '', facets: {} },
      { search: 'NG', facets: {} },
      { search: '', facets: { stale: ['inactive', 'not-stale'], kind: ['guest', 'member'] } },
      { search: 'person 1', facets: { package: ['p-lab'], state: ['delivered'] } },
      { search: '', facets: { catalog: ['c-1'], held: ['2-5'], account: ['enabled', 'not-in-directory'] } },
      { search: '@example', facets: { stale: ['deleted', 'disabled'], state: ['expired', 'deliveryFailed'], package: ['p-sales', 'p-finance'] } },
      // A search keeps most people (their rows taken off the facets' answer) or few (their rows counted),
      // with the facets' answer kept from the query before or computed anew.
      { search: 'person', facets: { state: ['delivered'] } },
      { search: 'person 1', facets: { state: ['delivered'] } },
      { search: 'person', facets: {} },
      { search: 'ng', facets: { held: ['2-5'], stale: ['not-stale'] } },
      { search: 'nobody at all', facets: { kind: ['guest'] } },
      { search: 'person 42', facets: { kind: ['guest'] } },
      { search: '-4000-', facets: { state: ['delivered', 'expired'] } },
      { search: '', facets: { kind: ['guest'] } },
    ];
    for (const q of queries) {
      const got = store.query(q);
      const want = ref.filter((x) => matches(x, q)).map((x) => x.view.id).sort();
      expect([...got.order].map((i) => store.row(i).id).sort()).toEqual(want);
      const shown = [...got.order].map((i) => store.row(i)).map((r) => `${r.packageName}|${r.displayName.toLowerCase()}`);
      expect(shown).toEqual([...shown].sort());
      // A facet's counts: rows matching the search and every OTHER facet.
      for (const f of ['package', 'catalog', 'state', 'kind', 'account', 'stale', 'held'] as OverviewFacet[]) {
        const expected: Record<string, number> = {};
        for (const x of ref) if (matches(x, q, f)) for (const v of x.values[f]) expected[v] = (expected[v] ?? 0) + 1;
        expect(got.counts[f]).toEqual(expected);
      }
      // The packages table counts rows matching everything but the package facet.
      for (const stats of got.packages) {
        const mine = ref.filter((x) => x.packageId === stats.packageId && matches(x, q, 'package'));
        expect(stats.assignments).toBe(mine.length);
        expect(stats.stale).toBe(mine.filter((x) => x.view.staleReasons.length > 0).length);
        expect(stats.delivered).toBe(mine.filter((x) => x.view.state === 'delivered').length);
        expect(stats.guests).toBe(mine.filter((x) => x.values.kind[0] === 'guest').length);
        expect(stats.deliveryFailed).toBe(mine.filter((x) => x.view.state === 'deliveryFailed' || x.view.status === 'DeliveryFailed').length);
        expect(stats.staleBy).toEqual(STALE_REASONS.map((r) => mine.filter((x) => x.view.staleReasons.includes(r)).length));
        const soon = (x: (typeof mine)[number]): boolean =>
          x.view.state !== 'expired' && x.view.expiry !== null && Date.parse(x.view.expiry) >= NOW && Date.parse(x.view.expiry) <= NOW + 30 * DAY;
        expect(stats.expiringSoon).toBe(mine.filter(soon).length);
      }
    }
  });

  it('people: one entry per target with the assignments of the result and the packages held, most held first', () => {
    const w = world(9);
    const store = load(w);
    const ref = reference(w);
    const people = store.people(store.query({ search: '', facets: {} }).order);
    const keys = people.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(people.reduce((n, p) => n + p.assignments, 0)).toBe(w.rows.length);
    for (const p of people.filter((x) => x.objectId)) {
      expect(p.held).toBe(ref.find((x) => x.view.objectId === p.objectId)!.held);
    }
    expect(people.map((p) => p.held)).toEqual([...people.map((p) => p.held)].sort((a, b) => b - a));
  });

  it('a changed threshold re-derives the stale reasons', () => {
    const w = world(4);
    const store = load(w, 90);
    store.setOptions({ ...store.options, staleAfterDays: 400 });
    const ref = reference(w, 400);
    const got = store.query({ search: '', facets: { stale: ['inactive'] } });
    expect(got.order.length).toBe(ref.filter((x) => x.values.stale.includes('inactive')).length);
  });

  it('going back to an earlier filter (a value unticked, a letter erased) gives its answer again, as a fresh store would', () => {
    const w = world(5);
    const store = load(w);
    const none = { search: '', facets: {} };
    const ticked = { search: '', facets: { kind: ['guest'] } };
    const typed = { search: 'ok', facets: {} };
    const first = store.query(none);
    const tick = store.query(ticked);
    expect(store.query(none)).toBe(first); // not worked out again
    store.query({ search: 'o', facets: {} });
    store.query(typed);
    const erased = store.query({ search: 'o', facets: {} });
    const fresh = load(w);
    for (const [q, got] of [[none, first], [ticked, tick], [typed, store.query(typed)], [{ search: 'o', facets: {} }, erased]] as const) {
      const want = fresh.query(q);
      expect({ order: [...got.order], counts: got.counts, packages: got.packages }).toEqual({ order: [...want.order], counts: want.counts, packages: want.packages });
    }
    // A narrow answer kept holds its own rows, not a view of a buffer as long as the scope.
    expect(tick.order.length).toBeLessThan(w.rows.length / 2);
    const kept = store.query(ticked);
    expect(kept.order.buffer.byteLength).toBe(kept.order.byteLength);
  });

  it('an answer kept is not given once the data or the options changed, and only the last few are kept', () => {
    const w = world(6);
    const store = load(w);
    const inactive = { search: '', facets: { stale: ['inactive'] } };
    const before = store.query(inactive);
    store.setOptions({ ...store.options, staleAfterDays: 400 });
    const after = store.query(inactive);
    expect(after).not.toBe(before);
    expect(after.order.length).toBe(reference(w, 400).filter((x) => x.values.stale.includes('inactive')).length);
    // New rows: the answer counts them.
    const more = world(7, 50).rows.map((x, k) => ({ ...x, row: { ...x.row, id: `20000000-0000-4000-8000-${String(k).padStart(12, '0')}` } }));
    const all = store.query({ search: '', facets: {} });
    for (const x of more) store.add(x.packageId, [x.row]);
    expect(store.query({ search: '', facets: {} }).order.length).toBe(all.order.length + more.length);
    // Ten other questions later, the first is worked out again (the same answer, not the object kept).
    const first = store.query(inactive);
    for (let i = 0; i < 10; i++) store.query({ search: `person ${i}`, facets: {} });
    const again = store.query(inactive);
    expect(again).not.toBe(first);
    expect([...again.order]).toEqual([...first.order]);
  });

  it('selects the rows of a filter and hands them over grouped by package, with a label each', () => {
    const w = world(8);
    const store = load(w);
    const q: OverviewQuery = { search: '', facets: { state: ['deliveryFailed'] } };
    const { order } = store.query(q);
    store.select(order, true);
    store.select(order, true); // twice: counted once
    expect(store.selectedCount).toBe(order.length);
    const groups = store.selectedByPackage();
    const want = w.rows.filter((x) => x.row.state === 'deliveryFailed');
    for (const p of PACKAGES) {
      const mine = want.filter((x) => x.packageId === p.id);
      expect((groups.get(p.id)?.ids ?? []).sort()).toEqual(mine.map((x) => x.row.id).sort());
    }
    const first = store.row(order[0]);
    expect(first.selected).toBe(true);
    expect(groups.get(first.packageId)!.labels[groups.get(first.packageId)!.ids.indexOf(first.id)]).toBe(first.displayName || first.principalName || first.email);
    store.select([order[0]], false);
    expect(store.selectedCount).toBe(order.length - 1);
    store.clearSelection();
    expect(store.selectedCount).toBe(0);
    expect(store.selectedByPackage().size).toBe(0);
  });

  it('drops a package’s rows on reload', () => {
    const w = world(6);
    const store = load(w);
    store.removePackage('p-lab');
    const left = w.rows.filter((x) => x.packageId !== 'p-lab').map((x) => x.row.id).sort();
    const { order } = store.query({ search: '', facets: {} });
    expect([...order].map((i) => store.row(i).id).sort()).toEqual(left);
  });

  it('a snapshot, through structured clone as IndexedDB keeps it, restores exactly what was read; the restored store grows as the original', () => {
    const w = world(12, 600);
    const a = load(w);
    // A user record whose date is not fixed-width is kept verbatim: it must come back verbatim.
    a.setUsers([{ ...w.users[0], lastSuccessfulSignIn: '2024-02-03T04:05:06.789Z' }]);
    const b = OverviewStore.restore(structuredClone(a.snapshot()), a.options);
    const queries: OverviewQuery[] = [
      { search: '', facets: {} },
      { search: 'person 1', facets: {} },
      { search: '', facets: { state: ['delivered'], kind: ['guest'] } },
      { search: 'ng', facets: { stale: ['inactive', 'disabled'], package: ['p-lab'] } },
    ];
    const same = (): void => {
      expect(b.size).toBe(a.size);
      expect(b.userIds()).toEqual(a.userIds());
      for (let i = 0; i < a.size; i++) expect(b.row(i)).toEqual(a.row(i));
      for (const q of queries) {
        const x = a.query(q);
        const y = b.query(q);
        expect(y).toEqual(x);
        expect(b.people(y.order)).toEqual(a.people(x.order));
        expect([...overviewCsvChunks(b, y.order, 100)].join('')).toBe([...overviewCsvChunks(a, x.order, 100)].join(''));
      }
    };
    same();
    expect(a.size).toBe(600);
    // Rows and users that come later (people already known and new ones) land the same way in both.
    const later = world(13, 80);
    for (const s of [a, b]) {
      s.add('p-sales', later.rows.map((x) => x.row));
      s.setUsers(later.users);
    }
    same();
    expect(() => OverviewStore.restore({ ...a.snapshot(), format: 2 as 1 }, a.options)).toThrow(RangeError);
  });

  it("a load's parts, taken as it goes and joined, restore its rows; keeping the packages done drops exactly the others'", () => {
    const w = world(14, 700);
    const a = new OverviewStore({ now: NOW, staleAfterDays: 90, signInAvailable: true });
    a.setPackages(PACKAGES.slice(0, 2)); // the listing's first page; the rest arrives later
    const parts: StoreSnapshot[] = [];
    let mark: StoreMark | undefined;
    const take = (): void => {
      const part = a.snapshot(mark);
      mark = part.to;
      parts.push(structuredClone(part));
    };
    take(); // an empty first part joins too
    const fed: World['rows'] = [];
    for (let i = 0; i < w.rows.length; i += 7) {
      if (i === 210) a.setPackages(PACKAGES);
      const page = w.rows.slice(i, i + 7);
      for (const p of i < 210 ? PACKAGES.slice(0, 2) : PACKAGES) {
        const mine = page.filter((x) => x.packageId === p.id).map((x) => x.row);
        if (mine.length) a.add(p.id, mine);
        fed.push(...mine.map((row) => ({ packageId: p.id, row })));
      }
      if (i % 140 === 0) take();
    }
    take();
    expect(parts.every((p, k) => k === 0 || p.users === null)).toBe(true);
    const joined = OverviewStore.join(parts)!;
    const b = OverviewStore.restore(joined, a.options);
    expect(b.size).toBe(a.size);
    for (let i = 0; i < a.size; i++) expect(b.row(i)).toEqual(a.row(i));
    expect(b.query({ search: 'ng', facets: {} })).toEqual(a.query({ search: 'ng', facets: {} }));

    // Parts out of order, or one missing, do not join: the load starts again rather than show a hole.
    expect(OverviewStore.join([parts[0], parts[2], parts[1]])).toBeNull();
    expect(OverviewStore.join(parts.filter((_, k) => k !== 2))).toBeNull();
    expect(OverviewStore.join(parts.slice(1))).toBeNull();

    // The packages done stay, whole; the others' rows go (a resumed load reads them again).
    const done = new Set([PACKAGES[0].id, PACKAGES[2].id]);
    b.retainPackages(done);
    const only = new OverviewStore(a.options); // what a load of just those packages holds
    only.setPackages(PACKAGES);
    for (const x of fed) if (done.has(x.packageId)) only.add(x.packageId, [x.row]);
    const all = (s: OverviewStore) => Array.from(s.query({ search: '', facets: {} }).order, (i) => s.row(i));
    expect(b.size).toBe(only.size);
    expect(all(b)).toEqual(all(only));
  });

  it('every facet of OVERVIEW_FACETS has counts', () => {
    const store = load(world(2));
    const { counts } = store.query({ search: '', facets: {} });
    expect(Object.keys(counts).sort()).toEqual([...OVERVIEW_FACETS].sort());
    const total = store.size;
    for (const f of OVERVIEW_FACETS.filter((x) => x !== 'stale')) expect(Object.values(counts[f]).reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('packed ids and dates', () => {
  it('round-trip GUIDs compactly and anything else verbatim', () => {
    const ids = new PackedIds();
    const values = ['3f2504e0-4f89-41d3-9a0c-0305e82c3301', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '3F2504E0-4F89-41D3-9A0C-0305E82C3301', 'x', ''];
    for (let i = 0; i < 3000; i++) ids.set(i, values[i % values.length]);
    for (let i = 0; i < 3000; i++) expect(ids.get(i)).toBe(values[i % values.length]);
  });

  it('keep fixed-width ISO dates exact', () => {
    for (const d of ['2024-02-29T23:59:59Z', '0001-01-02T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z']) expect(isoOf(msOf(d))).toBe(d);
    expect(isoOf(msOf(null))).toBeNull();
    // Every day of 1970–2100 and random seconds, against Date's own formatting.
    const r = rng(5);
    for (let day = 0; day < 131 * 366; day += 1) {
      const ms = day * 86_400_000 + Math.floor(r() * 86_400) * 1000;
      expect(isoOf(ms)).toBe(new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
  });
});

describe('overview CSV', () => {
  it('is the package CSV of each row with Access package, Catalog and Packages held after the contract’s sixteen columns, in chunks', () => {
    const w = world(3, 120);
    // A record the store keeps as it came (a date not in Graph's fixed form), and cells that need escaping.
    w.users[0] = { ...w.users[0], deleted: false, lastSuccessfulSignIn: '2026-01-02T03:04:05.123Z', userType: '=Guest, "odd"' };
    w.users[1] = { ...w.users[1], deleted: true };
    const store = load(w);
    const { order } = store.query({ search: '', facets: {} });
    const chunks = [...overviewCsvChunks(store, order, 7)];
    expect(chunks.length).toBe(1 + Math.ceil(order.length / 7));
    const text = chunks.join('');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true, newline: '\r\n' }).data;
    expect(parsed[0]).toEqual([...OVERVIEW_CSV_HEADER]);
    expect(parsed[0].slice(16, 19)).toEqual(['Access package', 'Catalog', 'Packages held']);
    expect(parsed.length - 1).toBe(order.length);
    // Every line is the row's own record: the package CSV's cells under the same header names.
    const guard = (c: string): string => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c);
    parsed.slice(1).forEach((cells, k) => {
      const r = store.row(order[k]);
      const record = csvRecord(r);
      const byName: Record<string, string> = { 'Access package': r.packageName, Catalog: r.catalogName, 'Packages held': String(r.held) };
      CSV_HEADER.forEach((h, i) => (byName[h] = record[i]));
      expect(cells).toEqual(OVERVIEW_CSV_HEADER.map((h) => guard(byName[h])));
    });
  });
});
