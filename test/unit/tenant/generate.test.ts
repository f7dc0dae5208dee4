import { DAY_MS, expectedAssignments, expectedStaleReasons, generateTenant, IDS, isoSeconds, packagePolicies, policyAllowsAdminAssignment } from '../../tenant/generate';
import type { Assignment, TenantData } from '../../tenant/types';

const NOW = Date.parse('2026-06-15T12:00:00Z');

function stateCounts(data: TenantData): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of expectedAssignments(data, IDS.mainPackage)) out[String(a.state)] = (out[String(a.state)] ?? 0) + 1;
  return out;
}

describe('generateTenant', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateTenant({ seed: 7, size: 200, now: NOW });
    const b = generateTenant({ seed: 7, size: 200, now: NOW });
    const c = generateTenant({ seed: 8, size: 200, now: NOW });
    expect(JSON.stringify(a.assignments)).toBe(JSON.stringify(b.assignments));
    expect(JSON.stringify([...a.users.values()])).toBe(JSON.stringify([...b.users.values()]));
    expect(c.assignments.map((x) => x.id)).not.toEqual(a.assignments.map((x) => x.id));
  });

  it('puts exactly `size` assignments on the main package and a few on the others', () => {
    for (const size of [0, 1, 60, 1234]) {
      const d = generateTenant({ size, now: NOW });
      expect(expectedAssignments(d, IDS.mainPackage)).toHaveLength(size);
      expect(expectedAssignments(d, IDS.financePackage).length).toBeGreaterThan(0);
      expect(expectedAssignments(d, IDS.labPackage).length).toBeGreaterThan(0);
      expect(expectedAssignments(d, IDS.emptyPackage)).toHaveLength(0);
    }
  });

  it("'mixed' has four policies with uneven state mixes; every state and target kind occurs", () => {
    const d = generateTenant({ size: 3000, seed: 1, now: NOW });
    const policies = packagePolicies(d, IDS.mainPackage);
    expect(policies).toHaveLength(4);
    expect(policies.filter(policyAllowsAdminAssignment).length).toBe(3);
    expect(policies.some((p) => p.questions.length > 0)).toBe(true);
    expect(policies.some((p) => p.allowedTargetScope === 'allConfiguredConnectedOrganizationUsers')).toBe(true);
    const counts = stateCounts(d);
    for (const s of ['delivered', 'expired', 'delivering', 'partiallyDelivered', 'deliveryFailed']) expect(counts[s]).toBeGreaterThan(0);
    expect(counts.delivered).toBeGreaterThan(counts.expired);
    const kinds = new Set(d.targetKinds.values());
    for (const k of ['member-recent', 'member-inactive', 'never-signed-in', 'interactive-only-old', 'noninteractive-only', 'no-created-date', 'disabled', 'guest-pending', 'guest-accepted', 'deleted', 'service-principal', 'not-in-directory'] as const) {
      expect([k, kinds.has(k)]).toEqual([k, true]);
    }
    const main = expectedAssignments(d, IDS.mainPackage);
    const perPolicy = policies.map((p) => main.filter((a) => a.assignmentPolicyId === p.id).length);
    expect(new Set(perPolicy).size).toBe(4);
    // requests exist for every delivering / failed assignment
    const open = main.filter((a) => a.state === 'delivering' || a.state === 'deliveryFailed');
    const requested = new Set(d.requests.map((r) => r.assignmentId));
    expect(open.every((a) => requested.has(a.id))).toBe(true);
  });

  it("'single-policy' has one policy and nearly everything delivered", () => {
    const d = generateTenant({ size: 1000, shape: 'single-policy', now: NOW });
    expect(packagePolicies(d, IDS.mainPackage)).toHaveLength(1);
    expect(stateCounts(d).delivered).toBeGreaterThan(930);
  });

  it('makes the data the stale rule needs, with dates relative to now', () => {
    const d = generateTenant({ size: 2000, seed: 3, now: NOW });
    const main = expectedAssignments(d, IDS.mainPackage);
    const byKind = (k: string) => main.filter((a) => d.targetKinds.get(a.id) === k);
    const reasons = (a: Assignment) => expectedStaleReasons(d, a, 90);
    expect(byKind('member-recent').every((a) => reasons(a).length === 0)).toBe(true);
    expect(byKind('member-inactive').every((a) => reasons(a).includes('inactive'))).toBe(true);
    expect(byKind('deleted').every((a) => reasons(a).join() === 'deleted')).toBe(true);
    expect(byKind('disabled').every((a) => reasons(a)[0] === 'disabled')).toBe(true);
    expect(byKind('never-signed-in').every((a) => reasons(a).includes('never-signed-in'))).toBe(true);
    expect(byKind('never-signed-in-new').every((a) => reasons(a).length === 0)).toBe(true);
    expect(byKind('no-created-date').every((a) => reasons(a).length === 0)).toBe(true);
    expect(byKind('guest-pending').every((a) => reasons(a).includes('invitation-pending'))).toBe(true);
    expect(byKind('not-in-directory').every((a) => a.target!.objectId === null && a.target!.email && reasons(a).length === 0)).toBe(true);
    // without sign-in data, only what the directory itself says remains
    expect(byKind('member-inactive').every((a) => expectedStaleReasons(d, a, 90, { signInAvailable: false }).length === 0)).toBe(true);
    const recent = byKind('member-recent').map((a) => Date.parse(d.users.get(a.target!.objectId!)!.signInActivity!.lastSuccessfulSignInDateTime!));
    expect(recent.every((t) => t <= NOW && t >= NOW - 61 * DAY_MS)).toBe(true);
  });

  it('in hostile mode carries markup, formula prefixes, control characters, missing targets and duplicate ids', () => {
    const d = generateTenant({ size: 300, hostile: true, now: NOW });
    const main = expectedAssignments(d, IDS.mainPackage);
    expect(main).toHaveLength(300);
    const names = main.map((a) => a.target?.displayName ?? '');
    expect(names.some((n) => n.includes('<img'))).toBe(true);
    expect(names.some((n) => n.startsWith('='))).toBe(true);
    expect(names.some((n) => /[\u0000-\u0008]/.test(n))).toBe(true);
    expect(names.some((n) => n.length > 2000)).toBe(true);
    expect(main.some((a) => a.target === null)).toBe(true);
    expect(main.some((a) => a.target && a.target.objectId === null && a.state === 'delivered')).toBe(true);
    expect(main.some((a) => a.schedule?.startDateTime === 'not-a-date')).toBe(true);
    expect(main.some((a) => a.state === 'someFutureState')).toBe(true);
    const ids = main.map((a) => a.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i)!;
    expect(dup).toBeDefined();
    expect(ids.lastIndexOf(dup) - ids.indexOf(dup)).toBeGreaterThan(100);
  });

  it('generates 100,000 assignments', () => {
    // How fast is the benchmark's business (npm run bench starts such tenants): a CPU-time bound here failed
    // whenever the shared machine was busy.
    const d = generateTenant({ size: 100_000, seed: 9, now: NOW });
    expect(expectedAssignments(d, IDS.mainPackage)).toHaveLength(100_000);
  });
});

describe('isoSeconds', () => {
  it('prints UTC to the second, like Date#toISOString without milliseconds', () => {
    for (const ms of [0, 951_782_400_000, Date.parse('2024-02-29T23:59:59.999Z'), Date.parse('2100-03-01T00:00:00Z'), NOW]) {
      expect(isoSeconds(ms)).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    }
  });
});
