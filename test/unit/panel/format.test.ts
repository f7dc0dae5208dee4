import { groupMissing, plural, shortUtc, timeAgo } from '../../../src/panel/format';

const NOW = Date.parse('2025-03-10T12:00:00Z');

test('timeAgo speaks in the unit an admin expects', () => {
  expect(timeAgo('2025-03-10T11:59:30Z', NOW)).toBe('just now');
  expect(timeAgo('2025-03-10T11:57:00Z', NOW)).toBe('3 min ago');
  expect(timeAgo('2025-03-10T09:00:00Z', NOW)).toBe('3 h ago');
  expect(timeAgo('2025-03-09T12:00:00Z', NOW)).toBe('24 h ago');
  expect(timeAgo('2025-03-05T12:00:00Z', NOW)).toBe('5 days ago');
  expect(timeAgo(null, NOW)).toBe('');
  expect(timeAgo('garbage', NOW)).toBe('');
});

test('shortUtc shows minutes in UTC and keeps unparseable text', () => {
  expect(shortUtc('2025-03-10T09:05:59Z')).toBe('2025-03-10 09:05');
  expect(shortUtc(null)).toBe('');
  expect(shortUtc('soon')).toBe('soon');
});

test('plural', () => {
  expect(plural(1, 'row')).toBe('1 row');
  expect(plural(12345, 'row')).toBe('12,345 rows');
});

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
