import { groupMissing } from '../../../src/panel/format';

test('groupMissing groups failed pages by partition, keeping their order', () => {
  const g = groupMissing([
    { partition: 'p1', page: 'u1', error: 'e' },
    { partition: 'p2', page: 'u2', error: 'e' },
    { partition: 'p1', page: 'u3', error: 'e' },
  ]);
  expect(g.map((x) => [x.partition, x.parts.map((p) => p.page)])).toEqual([
    ['p1', ['u1', 'u3']],
    ['p2', ['u2']],
  ]);
});
