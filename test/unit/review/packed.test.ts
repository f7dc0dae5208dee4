// The compact forms a bulk decision and a resume travel and are stored in: nothing of the facts or of a
// decision may be lost or changed on the way (they are the review's evidence).
import { columnValues, fromColumns, packFacts, toColumns, unpackFacts } from '../../../src/core/review/packed';
import type { DecisionRecord, RowFacts } from '../../../src/core/review/model';

const facts: RowFacts = {
  displayName: 'Anna, "the" =lead',
  principalName: 'anna@contoso.com',
  state: 'delivered',
  staleReasons: ['inactive', 'disabled'],
  expiry: '2025-07-01T00:00:00Z',
  activity: null,
  recommendation: 'remove',
  recommendationReasons: ['inactive', 'disabled', 'expired'],
};

describe('packed facts', () => {
  it('come back exactly as captured, empty lists and nulls included', () => {
    expect(unpackFacts(packFacts(facts))).toEqual(facts);
    const bare: RowFacts = { displayName: '', principalName: '', state: '', staleReasons: [], expiry: null, activity: '', recommendation: 'none', recommendationReasons: [] };
    expect(unpackFacts(packFacts(bare))).toEqual(bare);
  });

  it('keep a name holding a separator character in its place (the character becomes a space)', () => {
    const odd = { ...facts, displayName: 'a\u001fb\u001ec' };
    expect(unpackFacts(packFacts(odd))).toEqual({ ...facts, displayName: 'a b c' });
  });
});

describe('decision columns', () => {
  it('carry every decision with its own justification, reviewer, time and facts, sharing what a bulk decision shares', () => {
    const decisions: Record<string, DecisionRecord> = {};
    for (let i = 0; i < 1000; i++) decisions[`id${i}`] = { decision: i % 3 ? 'keep' : 'remove', justification: i % 3 ? '' : 'left', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z', facts: packFacts({ ...facts, displayName: `n${i}` }) };
    decisions.other = { decision: 'remove', justification: 'contractor', reviewer: 'b@contoso.com', at: '2025-06-15T12:00:00Z', facts: packFacts(facts) };
    const c = structuredClone(toColumns(decisions));
    expect(c.groups).toHaveLength(3);
    expect(fromColumns(c)).toEqual(decisions);
    const values = columnValues(c);
    expect(values.size).toBe(1001);
    expect([values.get('id0'), values.get('id1'), values.get('other')]).toEqual(['remove', 'keep', 'remove']);
  });
});
