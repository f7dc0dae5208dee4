// The overview's benchmark shape (issue "Across packages"): catalogs, packages, policies, assignments and users
// added to a demo tenant so the tenant scope holds, by default, 2,000 packages in 40 catalogs, 1,000,000
// assignments and 300,000 users, skewed as real tenants are: package k holds a share ∝ 1/k^1.1 (Zipf), and a
// few people hold many packages. The same shape as the Node overview bench (test/bench/overview-bench.ts), so
// the two measure the same tenant; everything comes from the seed.
import { DAY_MS, isoSeconds } from './dates';
import { policy, NO_EXPIRY } from './fixtures';
import { DEFAULT_MIX, KIND_MIX, schedule, type State } from './generate';
import { Builder } from './people';
import type { AccessPackage, Catalog, Policy, Subject, TargetKind, TenantData } from './types';

export interface OverviewScale {
  packages: number;
  catalogs: number;
  rows: number;
  users: number;
  seed?: number;
}

export interface OverviewScaleInfo {
  packages: number;
  rows: number;
  users: number;
  /** assignments in the tenant now, the demo's own included */
  total: number;
  /** rows per package, in the order the packages were added */
  sizes: number[];
  /** per package: rows per policy × state group (Graph's partitions), largest first */
  groups: number[][];
}

/** Package sizes ∝ 1/k^1.1, summing to `rows` (every package holds at least one). */
export function zipfSizes(rows: number, packages: number): number[] {
  const weights = Array.from({ length: packages }, (_, k) => 1 / (k + 1) ** 1.1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * rows)));
  sizes[0] += rows - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

const PEOPLE_KINDS = Object.fromEntries(Object.entries(KIND_MIX).filter(([k]) => k !== 'service-principal')) as Record<TargetKind, number>;
const EXPIRATIONS: Policy['expiration'][] = [NO_EXPIRY, { endDateTime: null, duration: 'P365D', type: 'afterDuration' }, { endDateTime: null, duration: 'P180D', type: 'afterDuration' }];

/** Adds the shape to `data` (after the demo's own packages) and says what it added. */
export function addOverviewScale(data: TenantData, s: OverviewScale): OverviewScaleInfo {
  const b = new Builder(s.seed ?? 11, data.now);
  const r = b.rng;
  const catalogs: Catalog[] = Array.from({ length: s.catalogs }, (_, i) => ({
    id: r.guid(),
    displayName: `Catalog ${String(i + 1).padStart(2, '0')}`,
    description: 'Benchmark catalog',
    catalogType: 'userManaged',
    state: 'published',
    isExternallyVisible: true,
    createdDateTime: isoSeconds(data.now - 900 * DAY_MS),
    modifiedDateTime: isoSeconds(data.now - 300 * DAY_MS),
  }));
  data.catalogs.push(...catalogs);

  // People: users in the directory, apart from the deleted ones an assignment still names.
  const people: Subject[] = [];
  for (let i = 0; i < s.users; i++) {
    const kind = r.weighted(PEOPLE_KINDS);
    const person = b.person(kind === 'deleted' ? 'member-recent' : kind);
    if (kind !== 'deleted') data.users.set(person.user.id, person.user);
    people.push(person.subject);
  }

  const sizes = zipfSizes(s.rows, s.packages);
  const groups: number[][] = [];
  for (let k = 0; k < s.packages; k++) {
    const catalog = catalogs[k % catalogs.length];
    const pkg: AccessPackage = {
      id: r.guid(),
      displayName: `Package ${String(k + 1).padStart(4, '0')}`,
      description: 'Benchmark package',
      isHidden: false,
      createdDateTime: isoSeconds(data.now - 800 * DAY_MS),
      modifiedDateTime: isoSeconds(data.now - 200 * DAY_MS),
      catalogId: catalog.id,
    };
    data.packages.push(pkg);
    const policies = Array.from({ length: k < 20 ? 4 : 1 + (k % 2) }, (_, j) =>
      policy(b, { id: r.guid(), packageId: pkg.id, name: `Policy ${j + 1}`, scope: j === 0 ? 'notSpecified' : 'allMemberUsers', expiration: EXPIRATIONS[(k + j) % EXPIRATIONS.length] }),
    );
    data.policies.push(...policies);
    const group = new Map<string, number>();
    for (let n = 0; n < sizes[k]; n++) {
      const p = r.pick(policies);
      const state = r.weighted(DEFAULT_MIX) as State;
      const sch = schedule(b, p, state);
      // Skewed people: a few hold many packages.
      const target = people[Math.floor(r.next() ** 2 * people.length)];
      data.assignments.push({
        id: r.guid(),
        state,
        status: sch.status,
        expiredDateTime: sch.expired,
        schedule: sch.schedule,
        customExtensionCalloutInstances: [],
        accessPackageId: pkg.id,
        assignmentPolicyId: p.id,
        target,
      });
      group.set(`${p.id}|${state}`, (group.get(`${p.id}|${state}`) ?? 0) + 1);
    }
    groups.push([...group.values()].sort((x, y) => y - x));
  }
  return { packages: s.packages, rows: s.rows, users: s.users, total: data.assignments.length, sizes, groups };
}
