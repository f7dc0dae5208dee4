import fc from 'fast-check';
import type { PolicyInfo, Row } from '../../../src/core/model';
import {
  ASSIGNMENT_STATES,
  AssignmentMerger,
  coveredBy,
  odataString,
  orderBySample,
  planPartitions,
  refinePlan,
  rowMatchesPartition,
} from '../../../src/core/partition';

const PKG = 'aaaaaaaa-0000-4000-8000-000000000001';
const policy = (id: string, displayName = `Policy ${id}`): PolicyInfo => ({ id, displayName, allowsDirectAssignment: true, hasQuestions: false });
const row = (id: string, policyId: string, state: string): Row => ({
  id,
  state,
  status: '',
  policyId,
  policyName: '',
  start: null,
  expiry: null,
  subjectId: null,
  objectId: null,
  displayName: '',
  principalName: '',
  email: '',
  subjectType: 'user',
  connectedOrgId: null,
  connectedOrgName: '',
});

describe('planPartitions', () => {
  test('major states by policy first, minor states over all policies, then the future-state sentinel', () => {
    const plan = planPartitions(PKG, [policy('p1', 'Sales'), policy('p2', 'Guests')]);
    expect(plan.map((p) => p.key)).toEqual([
      'p1|delivered',
      'p2|delivered',
      'p1|expired',
      'p2|expired',
      '*|delivering',
      '*|deliveryFailed',
      '*|partiallyDelivered',
      '*|unknownFutureValue',
    ]);
    expect(plan[0]).toEqual({
      key: 'p1|delivered',
      label: 'policy Sales, state delivered',
      filter: `accessPackage/id eq '${PKG}' and assignmentPolicy/id eq 'p1' and state eq 'delivered'`,
      policyId: 'p1',
      state: 'delivered',
    });
    expect(plan[4]).toEqual({ key: '*|delivering', label: 'state delivering', filter: `accessPackage/id eq '${PKG}' and state eq 'delivering'`, policyId: null, state: 'delivering' });
    expect(plan[7]).toEqual({
      key: '*|unknownFutureValue',
      label: 'state unknownFutureValue (any policy)',
      filter: `accessPackage/id eq '${PKG}' and state eq 'unknownFutureValue'`,
      policyId: null,
      state: 'unknownFutureValue',
      bestEffort: true,
    });
    for (const p of plan) expect(p.filter.startsWith(`accessPackage/id eq '${PKG}' and `)).toBe(true);
  });

  test('without policies: one partition per state', () => {
    const plan = planPartitions(PKG, []);
    expect(plan.map((p) => p.filter)).toEqual(
      ['delivered', 'expired', 'delivering', 'deliveryFailed', 'partiallyDelivered', 'unknownFutureValue'].map((s) => `accessPackage/id eq '${PKG}' and state eq '${s}'`),
    );
  });

  test('a policy listed twice is planned once', () => {
    expect(planPartitions(PKG, [policy('p1'), policy('p1')]).filter((p) => p.policyId === 'p1')).toHaveLength(2);
  });

  test('quotes in ids cannot break out of the OData string', () => {
    expect(odataString("a'b")).toBe("'a''b'");
    const plan = planPartitions("x' or 1 eq 1 or 'y", [policy("p'")]);
    expect(plan[0].filter).toBe("accessPackage/id eq 'x'' or 1 eq 1 or ''y' and assignmentPolicy/id eq 'p''' and state eq 'delivered'");
  });

  test('every assignment of a listed policy in a documented state is covered by exactly one partition', () => {
    const plan = planPartitions(PKG, [policy('p1'), policy('p2'), policy('p3')]);
    fc.assert(
      fc.property(fc.constantFrom('p1', 'p2', 'p3'), fc.constantFrom(...ASSIGNMENT_STATES, 'unknownFutureValue'), (pid, state) => {
        const r = row('x', pid, state);
        return plan.filter((p) => rowMatchesPartition(p, r)).length === 1;
      }),
    );
  });

  test('what no partition covers: a major state under an unlisted policy, a state by a new name, a missing state', () => {
    const plan = planPartitions(PKG, [policy('p1')]);
    expect(coveredBy(plan, row('a', 'p1', 'Delivered'))).toBe(true); // case as seen in samples
    expect(coveredBy(plan, row('s', 'p9', 'unknownFutureValue'))).toBe(true); // the sentinel, any policy
    expect(coveredBy(plan, row('m', 'p9', 'delivering'))).toBe(true); // minor states, any policy
    expect(coveredBy(plan, row('c', 'p9', 'delivered'))).toBe(false);
    expect(coveredBy(plan, row('b', 'p1', 'someFutureState'))).toBe(false);
    expect(coveredBy(plan, row('d', 'p1', ''))).toBe(false);
  });
});

describe('refinePlan', () => {
  const pols = [policy('p1'), policy('p2')];

  test('a minor state bigger in the sample than any per-policy partition is split by policy', () => {
    const plan = planPartitions(PKG, pols);
    const pending = plan.slice(4);
    const sample = [
      ...Array.from({ length: 6 }, (_, i) => row(`d${i}`, i % 2 ? 'p1' : 'p2', 'delivering')),
      row('x', 'p1', 'delivered'),
      row('y', 'p1', 'delivered'),
    ];
    const out = refinePlan(PKG, plan, pending, pols, sample);
    expect(out.pending.map((p) => p.key)).toEqual(['p1|delivering', 'p2|delivering', '*|deliveryFailed', '*|partiallyDelivered', '*|unknownFutureValue']);
    expect(out.plan.map((p) => p.key)).toContain('p2|delivering');
    expect(out.plan.map((p) => p.key)).not.toContain('*|delivering');
    // still exactly one partition per (listed policy, state)
    for (const state of ASSIGNMENT_STATES) {
      for (const pid of ['p1', 'p2']) expect(out.plan.filter((p) => rowMatchesPartition(p, row('r', pid, state)))).toHaveLength(1);
    }
  });

  test('small minor states and started partitions are left alone', () => {
    const plan = planPartitions(PKG, pols);
    const sample = [row('d', 'p1', 'delivering'), row('x', 'p1', 'delivered'), row('y', 'p1', 'delivered')];
    expect(refinePlan(PKG, plan, plan.slice(4), pols, sample)).toEqual({ plan, pending: plan.slice(4) });
    // a big minor state already started is not split
    const big = Array.from({ length: 9 }, (_, i) => row(`d${i}`, 'p1', 'delivering'));
    expect(refinePlan(PKG, plan, plan.slice(5), pols, big).pending).toEqual(plan.slice(5));
  });
});

describe('orderBySample', () => {
  test('the partitions the sample hits most come first; unseen ones keep their order at the end', () => {
    const plan = planPartitions(PKG, [policy('p1'), policy('p2')]);
    const sample = [row('1', 'p2', 'expired'), row('2', 'p2', 'expired'), row('3', 'p1', 'delivered')];
    const ordered = orderBySample(plan, sample);
    expect(ordered.slice(0, 2).map((p) => p.key)).toEqual(['p2|expired', 'p1|delivered']);
    expect(ordered.slice(2).map((p) => p.key)).toEqual(plan.filter((p) => !['p2|expired', 'p1|delivered'].includes(p.key)).map((p) => p.key));
    expect(ordered).toHaveLength(plan.length);
  });
});

describe('AssignmentMerger', () => {
  test('merges by id: nothing lost, nothing twice, duplicates counted', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), { maxLength: 12 }), (pages) => {
        const m = new AssignmentMerger();
        const streamed: string[] = [];
        for (const page of pages) streamed.push(...m.add(page.map((n) => row(`id${n}`, 'p', 'delivered'))).map((r) => r.id));
        const all = pages.flat().map((n) => `id${n}`);
        const distinct = new Set(all);
        return (
          m.size === distinct.size &&
          streamed.length === distinct.size &&
          new Set(streamed).size === streamed.length &&
          m.duplicates === all.length - distinct.size &&
          m.rows().every((r) => distinct.has(r.id))
        );
      }),
    );
  });

  test('add returns only rows not seen before, in order', () => {
    const m = new AssignmentMerger();
    expect(m.add([row('a', 'p', 's'), row('b', 'p', 's')]).map((r) => r.id)).toEqual(['a', 'b']);
    expect(m.add([row('b', 'p', 's'), row('c', 'p', 's'), row('a', 'p', 's')]).map((r) => r.id)).toEqual(['c']);
    expect(m.duplicates).toBe(2);
    expect(m.has('c')).toBe(true);
  });
});
