import { MAX_NOTES, noteList } from '../../../src/core/notes';

describe('noteList', () => {
  test('distinct lines in the order first seen, blanks dropped', () => {
    expect(noteList(['b', 'a', 'b', '', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });

  test('at most MAX_NOTES lines, and one more that counts the rest', () => {
    const lines = Array.from({ length: MAX_NOTES + 7 }, (_, i) => `assignment #${i} has no id`);
    const out = noteList([...lines, ...lines]);
    expect(out).toHaveLength(MAX_NOTES + 1);
    expect(out.slice(0, MAX_NOTES)).toEqual(lines.slice(0, MAX_NOTES));
    expect(out[MAX_NOTES]).toBe('… and 7 more notes.');
    expect(noteList(lines.slice(0, MAX_NOTES + 1))[MAX_NOTES]).toBe('… and 1 more note.');
  });
});
