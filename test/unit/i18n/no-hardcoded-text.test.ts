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

/** Every file under `dir` whose name ends with `ext` (`.tsx` for markup, `.ts` for worker and core code). */
function sourceFiles(dir: string, ext: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(p, ext, out);
    else if (entry.name.endsWith(ext)) out.push(p);
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
    for (const file of sourceFiles(path.join(ROOT, 'src'), '.tsx')) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      const lines = englishLines(fs.readFileSync(file, 'utf8'));
      if (lines.length > (PENDING[rel] ?? 0)) found[rel] = lines;
    }
    expect(found).toEqual({});
  });
});

// The worker, Graph and core code: a sentence a person reads (an action's message, a 403's explanation, a
// list's problem note, a sign-in reason) comes from the messages files too. What it looks for: a string
// literal with two words or more (a template's `${…}` parts left out) given to a message-like field
// (message, reason, explanation, note, justification, error), to an Error, or to a function that records a
// problem or an entry's outcome. Codes ('not-checked', 'import-finished') have no space, so they pass.

/** Files whose strings are not read as UI text: each with why. */
const NOT_UI: Record<string, string> = {
  'src/core/scripts.ts': 'the PowerShell script the panel offers: code, its comments belong to it',
  'src/core/details-format.ts': 'the PowerShell script of the details view',
  'src/core/filters.ts': 'the filter language (its own owner)',
  'src/core/i18n.ts': 'the message lookup itself',
};

/** Lines a person never reads (a guard against a programming error), exactly as written. */
const DEVELOPER_ONLY: Record<string, string[]> = {
  'src/core/overview/store.ts': ['if (p === undefined) throw new Error(`unknown package ${packageId}`);'],
};

const SENTENCE = /[A-Za-z]{2,}[\s,:;]+[A-Za-z]{2,}/;
const LITERAL = /(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
const SINKS = [
  /\b(?:message|reason|explanation|note|justification|error)\s*(?::|=(?!=))\s*((['"`]).*)/,
  /\bnew\s+(?:Error|AuthRequiredError|NetworkFailure)\(\s*((['"`]).*)/,
  /\b(?:problems\.push|wantFull|notSent|fail|failAll|settleChecked|signInIncomplete)\(([^;]*)/,
];

/** The first string literal's words in `code`, templates without their `${…}` parts. */
function literalWords(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(LITERAL)) out.push(m[1] === '`' ? m[2].replace(/\$\{[^}]*\}/g, ' ') : m[2]);
  return out;
}

function sentenceLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .filter((line) => !/\bconsole\.\w+\(/.test(line))
    .filter((line) =>
      SINKS.some((sink) => {
        const m = sink.exec(line);
        return m !== null && literalWords(m[1]).some((w) => SENTENCE.test(w));
      }),
    )
    .map((line) => line.trim());
}

describe('no English sentences in the worker, Graph and core code', () => {
  it('finds what it looks for', () => {
    expect(sentenceLines("      post({ type: 'x', message: 'Load the complete list first.' });")).toHaveLength(1);
    expect(sentenceLines('    return { explanation: `Your roles could not be read (${why}).` };')).toHaveLength(1);
    expect(sentenceLines('    e.message = `Not sent: ${messageOf(err)}`;')).toHaveLength(1);
    expect(sentenceLines("      throw new AuthRequiredError('Sign-in is required.', 'login_required');")).toHaveLength(1);
    expect(sentenceLines('    this.problems.push(`Account data could not be read for ${n} user(s)`);')).toHaveLength(1);
    expect(sentenceLines("        notSent(key, 'Cancelled before it was sent.');")).toHaveLength(1);
    expect(sentenceLines("      post({ type: 'x', message: t('worker_access_no_list'), code: 'NoList' });")).toEqual([]);
    expect(sentenceLines("    send({ kind: 'refused', reason: 'import-other-review' });")).toEqual([]);
    expect(sentenceLines('    send({ kind: \'refused\', reason: `import-${parsed.reason}: ${parsed.detail}` });')).toEqual([]);
    expect(sentenceLines("    const check = { status: 'not-checked', reason: 'role-removed' };")).toEqual([]);
    expect(sentenceLines("    this.saveNow(pkg).catch((e) => console.warn('action log not saved', e));")).toEqual([]);
    expect(sentenceLines("      // message: 'A comment says Why in English.'")).toEqual([]);
  });

  it('holds in src/background, src/graph, src/core and src/auth', () => {
    const found: Record<string, string[]> = {};
    for (const dir of ['src/background', 'src/graph', 'src/core', 'src/auth']) {
      for (const file of sourceFiles(path.join(ROOT, dir), '.ts')) {
        const rel = path.relative(ROOT, file).split(path.sep).join('/');
        if (NOT_UI[rel]) continue;
        const lines = sentenceLines(fs.readFileSync(file, 'utf8')).filter((l) => !DEVELOPER_ONLY[rel]?.includes(l));
        if (lines.length > 0) found[rel] = lines;
      }
    }
    expect(found).toEqual({});
  });
});
