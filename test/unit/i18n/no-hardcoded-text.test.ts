// The words a person reads come from the messages files (so a translation is one file): no English written
// into the panel's markup. What it looks for: text between a tag and the next tag or expression, a text-only
// line inside markup, and a human-readable attribute (title, aria-label, placeholder, label, alt) written as a
// literal. Files not converted yet are listed, each with its count, so the list can only shrink.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Files still holding English in their markup, and how many lines: lower a count, never raise it. */
const PENDING: Record<string, number> = {};

const PATTERNS = [
  // `<p class="x">Some words<` or `<b>Words {` (a tag's `>` follows a name, a quote, a brace or a slash)
  /(?<=[\w"'}/])>\s*[A-Za-z][^<>{}=;]*[A-Za-z]{2,}[^<>{}=;]*?\s*[<{]/,
  /\b(?:title|aria-label|placeholder|label|alt)="[^"]*[A-Za-z]{2,}[^"]*"/,
  // a line of words on its own between tags
  /^\s+[A-Z][a-z]+(?: [^<>{}()=;`'"]*)?$/,
];

function tsxFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) tsxFiles(p, out);
    else if (entry.name.endsWith('.tsx')) out.push(p);
  }
  return out;
}

function englishLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .filter((line) => PATTERNS.some((p) => p.test(line)))
    .map((line) => line.trim());
}

describe('no English in the markup', () => {
  it('finds what it looks for', () => {
    expect(englishLines('      <p class="note">Nothing here yet.</p>')).toHaveLength(1);
    expect(englishLines('        <th>Who</th>')).toHaveLength(1);
    expect(englishLines('          Cancel')).toHaveLength(1);
    expect(englishLines('      <button title="Remove from the list">')).toHaveLength(1);
    expect(englishLines("      <p class=\"note\">{t('some_key')}</p>")).toEqual([]);
    expect(englishLines('      {n > names.length ? <li>{x}</li> : null}')).toEqual([]);
    expect(englishLines('      // A comment says Why in English.')).toEqual([]);
  });

  it('holds in every panel and options file', () => {
    const found: Record<string, string[]> = {};
    for (const file of tsxFiles(path.join(ROOT, 'src'))) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      const lines = englishLines(fs.readFileSync(file, 'utf8'));
      if (lines.length > (PENDING[rel] ?? 0)) found[rel] = lines;
    }
    expect(found).toEqual({});
  });
});
