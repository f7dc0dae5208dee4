// The facts of a bulk decision on the port: decoded exactly as packed, whatever the text, in far fewer bytes.
import fc from 'fast-check';
import { decodeFacts, encodeFacts, FactsEncoder, packFacts, unpackFacts } from '../../../src/core/review/packed';
import type { RowFacts } from '../../../src/core/review/model';

const F = '\u001f';
const rows = new Map([
  ['a', { displayName: 'Ann Lee', principalName: 'ann@contoso.com' }],
  ['b', { displayName: 'Bo', principalName: 'bo_fabrikam.com#EXT#@contoso.onmicrosoft.com' }],
]);
const names = (id: string) => rows.get(id);

const facts = (over: Partial<RowFacts> = {}): RowFacts => ({
  displayName: 'Ann Lee',
  principalName: 'ann@contoso.com',
  state: 'delivered',
  staleReasons: ['inactive'],
  expiry: '2026-12-24T22:21:53Z',
  activity: '2026-10-31T08:03:29Z',
  recommendation: 'remove',
  recommendationReasons: ['inactive'],
  ...over,
});

test('real facts come back exactly; a renamed row keeps the name it had at the click', () => {
  const ids = ['a', 'b', 'c', 'a'];
  const packed = [
    packFacts(facts()),
    packFacts(facts({ displayName: 'Bo', principalName: 'bo_fabrikam.com#EXT#@contoso.onmicrosoft.com', expiry: null, staleReasons: [] })),
    packFacts(facts({ displayName: 'Not in the review', principalName: 'c@x', activity: null })),
    packFacts(facts({ displayName: 'Ann Lee-Smith', expiry: '1969-07-20T20:17:40Z' })),
  ];
  const wire = encodeFacts(ids, packed, names);
  expect(decodeFacts(ids, wire, names)).toEqual(packed);
  expect(unpackFacts(decodeFacts(ids, wire, names)![3]).displayName).toBe('Ann Lee-Smith');
  // The name and UPN of a review row and the dates do not travel as text.
  expect(wire.text).not.toContain('Ann Lee');
  expect(wire.text).not.toContain('2026-12-24T22:21:53Z');
});

test('dates that are not in Graph\'s form, or not real dates, travel as written', () => {
  const ids = ['a', 'a', 'a'];
  const packed = ['2026-02-31T00:00:00Z', '2026-12-24T22:21:53.5Z', 'soon'].map((expiry) => packFacts(facts({ expiry })));
  expect(decodeFacts(ids, encodeFacts(ids, packed, names), names)).toEqual(packed);
});

test('any text at all comes back exactly (property)', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom('', 'Ann Lee', 'ann@contoso.com', '2026-12-24T22:21:53Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'));
  const packed = fc.oneof(
    fc.array(text, { minLength: 10, maxLength: 10 }).map((f) => f.map((s) => s.split(F).join(' ')).join(F)),
    fc.array(text, { minLength: 0, maxLength: 12 }).map((f) => f.join(F)),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), packed), { maxLength: 30 }), (list) => {
      const ids = list.map(([id]) => id);
      const values = list.map(([, p]) => p);
      const wire = JSON.parse(JSON.stringify(encodeFacts(ids, values, names)));
      expect(decodeFacts(ids, wire, names)).toEqual(values);
    }),
    { numRuns: 500 },
  );
});

test('a wire form that does not add up is refused, not guessed', () => {
  const ids = ['a', 'c'];
  const packed = [packFacts(facts()), packFacts(facts({ displayName: 'C', principalName: 'c@x' }))];
  const wire = encodeFacts(ids, packed, names);
  expect(decodeFacts(['a'], wire, names)).toBeNull();
  expect(decodeFacts(ids, { ...wire, text: wire.text.slice(1) }, names)).toBeNull();
  expect(decodeFacts(ids, { ...wire, text: [...wire.text, 'extra'] }, names)).toBeNull();
  expect(decodeFacts(ids, { ...wire, shape: [0, 99] }, names)).toBeNull();
  // A row whose name was left out must be known where it is decoded.
  expect(decodeFacts(ids, wire, () => undefined)).toBeNull();
});

test('about a third of the bytes for a bulk decision of review rows', () => {
  const ids: string[] = [];
  const packed: string[] = [];
  const known = new Map<string, { displayName: string; principalName: string }>();
  for (let i = 0; i < 5000; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const f = facts({ displayName: `Person ${i}`, principalName: `person${i}@contoso.com`, expiry: new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString().replace('.000Z', 'Z') });
    known.set(id, { displayName: f.displayName, principalName: f.principalName });
    ids.push(id);
    packed.push(packFacts(f));
  }
  const e = new FactsEncoder((id) => known.get(id));
  ids.forEach((id, i) => e.add(id, packed[i]));
  const wire = e.finish();
  expect(decodeFacts(ids, wire, (id) => known.get(id))).toEqual(packed);
  expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(packed).length / 3);
});
