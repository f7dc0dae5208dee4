// The compact forms that keep a 50,000-row decision cheap: a row's facts as ONE string (a structured clone
// of one string per row costs a copy; an object with two arrays per row costs thousands of allocations on
// each of the port, IndexedDB and the worker), and a whole review's decisions as columns (ids, one letter
// per decision, shared justification/reviewer/time groups, packed facts) for the resume message.
import type { Decision, DecisionRecord, ReviewRow, RowFacts } from './model';
import type { Recommendation, RecommendationReason } from './recommend';

const FIELD = '\u001f';
const ITEM = '\u001e';

const list = (s: string): string[] => (s === '' ? [] : s.split(ITEM));

/** The fields of a row's packed facts, in order (a separator character inside a text becomes a space). */
function factFields(f: RowFacts): string[] {
  const clean = (s: string): string => (s.indexOf(FIELD) < 0 && s.indexOf(ITEM) < 0 ? s : s.split(FIELD).join(' ').split(ITEM).join(' '));
  return [
    clean(f.displayName),
    clean(f.principalName),
    clean(f.state),
    f.staleReasons.map(clean).join(ITEM),
    f.expiry ?? '',
    f.activity ?? '',
    f.recommendation,
    f.recommendationReasons.join(ITEM),
    f.expiry === null ? '0' : '1',
    f.activity === null ? '0' : '1',
  ];
}

/** One string holding the facts (a separator character inside a text, which no real name holds, becomes a space). */
export function packFacts(f: RowFacts): string {
  return factFields(f).join(FIELD);
}

export function unpackFacts(s: string): RowFacts {
  const p = s.split(FIELD);
  return {
    displayName: p[0] ?? '',
    principalName: p[1] ?? '',
    state: p[2] ?? '',
    staleReasons: list(p[3] ?? ''),
    expiry: p[8] === '1' ? (p[4] ?? '') : null,
    activity: p[9] === '1' ? (p[5] ?? '') : null,
    recommendation: (p[6] ?? 'none') as Recommendation,
    recommendationReasons: list(p[7] ?? '') as RecommendationReason[],
  };
}

/** A review's decisions as columns: `groups[group[i]]` is who decided ids[i], when and why. */
export interface DecisionColumns {
  ids: string[];
  /** one letter per id: k (keep) or r (remove) */
  codes: string;
  group: number[];
  groups: { justification: string; reviewer: string; at: string }[];
  /** packed, one per id (empty when they travel apart) */
  facts: string[];
}

export function toColumns(decisions: Readonly<Record<string, DecisionRecord>>): DecisionColumns {
  const out: DecisionColumns = { ids: [], codes: '', group: [], groups: [], facts: [] };
  const groupOf = new Map<string, number>();
  const codes: string[] = [];
  let last: DecisionRecord | null = null;
  let g = -1;
  for (const id in decisions) {
    const d = decisions[id];
    // Records of one bulk decision follow each other and share their strings: compare before hashing.
    if (!last || d.justification !== last.justification || d.reviewer !== last.reviewer || d.at !== last.at) {
      const key = `${d.justification}\u0000${d.reviewer}\u0000${d.at}`;
      const known = groupOf.get(key);
      if (known === undefined) {
        groupOf.set(key, (g = out.groups.length));
        out.groups.push({ justification: d.justification, reviewer: d.reviewer, at: d.at });
      } else g = known;
      last = d;
    }
    out.ids.push(id);
    codes.push(d.decision === 'remove' ? 'r' : 'k');
    out.group.push(g);
    out.facts.push(d.facts);
  }
  out.codes = codes.join('');
  return out;
}

export function fromColumns(c: DecisionColumns): Record<string, DecisionRecord> {
  const out: Record<string, DecisionRecord> = {};
  for (let i = 0; i < c.ids.length; i++) {
    const g = c.groups[c.group[i]];
    const decision: Decision = c.codes[i] === 'r' ? 'remove' : 'keep';
    out[c.ids[i]] = { decision, justification: g.justification, reviewer: g.reviewer, at: g.at, facts: c.facts[i] ?? '' };
  }
  return out;
}

/** A review's rows as three columns (cloned far faster than one object per row). */
export interface RowColumns {
  ids: string[];
  names: string[];
  upns: string[];
}

export function rowsToColumns(rows: readonly ReviewRow[]): RowColumns {
  const out: RowColumns = { ids: new Array<string>(rows.length), names: new Array<string>(rows.length), upns: new Array<string>(rows.length) };
  for (let i = 0; i < rows.length; i++) {
    out.ids[i] = rows[i].id;
    out.names[i] = rows[i].displayName;
    out.upns[i] = rows[i].principalName;
  }
  return out;
}

export function rowsFromColumns(c: RowColumns): ReviewRow[] {
  const out = new Array<ReviewRow>(c.ids.length);
  for (let i = 0; i < c.ids.length; i++) out[i] = { id: c.ids[i], displayName: c.names[i], principalName: c.upns[i] };
  return out;
}

/** The decision facet's values straight from the columns (no record objects needed to paint the rows). */
export function columnValues(c: DecisionColumns): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (let i = 0; i < c.ids.length; i++) out.set(c.ids[i], c.codes[i] === 'r' ? 'remove' : 'keep');
  return out;
}

/**
 * A bulk decision's facts on their way from the panel to the worker: the same packed strings, losslessly in
 * about a third of the bytes (the port sends JSON; 50,000 rows of facts were ~8.5 MB, most of a decision's
 * time). Each string is split into its shape (state, stale reasons, recommendation and its reasons: a few
 * dozen per package, sent once each) and the rest: the name and UPN are left out where they are the review
 * row's (both ends have the rows; the panel adds the new ones to the same request), and a date in Graph's
 * form goes as its digits in base 36.
 */
export interface FactsWire {
  /** distinct shapes, each with what the row's `text` entries hold */
  shapes: string[];
  /** per row, its shape's index */
  shape: number[];
  /** per row, in order: the name and the UPN when not the review row's, then expiry and activity when set */
  text: string[];
}

type Names = (id: string) => { displayName: string; principalName: string } | undefined;

/** packFacts writes this many fields */
const FIELDS = 10;
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** A date in Graph's form as its 14 digits in base 36 (9 characters, and no Date: exact for any digits). */
function dateOut(s: string): string | null {
  if (s.length !== 20 || !ISO_SECONDS.test(s)) return null;
  return Number(s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + s.slice(17, 19)).toString(36);
}

function dateIn(v: string): string | null {
  const n = parseInt(v, 36);
  if (!Number.isSafeInteger(n) || n < 0 || n > 99_999_999_999_999) return null;
  const d = String(n).padStart(14, '0');
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}Z`;
}

/** Builds the wire form one row at a time (the panel packs a big decision in pieces between paints). */
export class FactsEncoder {
  private readonly shapes: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly shape: number[] = [];
  private readonly text: string[] = [];

  constructor(private readonly names: Names) {}

  /** A row's facts: added, and returned packed (what the panel keeps). */
  addFacts(id: string, facts: RowFacts): string {
    const f = factFields(facts);
    this.addFields(id, f);
    return f.join(FIELD);
  }

  /** Any packed string. */
  add(id: string, packed: string): void {
    const f = packed.split(FIELD);
    if (f.length === FIELDS) return this.addFields(id, f);
    // Not packFacts' output (an empty string): sent as it is.
    this.text.push(packed);
    this.push('R');
  }

  /** The fields packFacts writes. */
  private addFields(id: string, f: string[]): void {
    const known = this.names(id);
    const sameName = known !== undefined && f[0] === known.displayName;
    const sameUpn = known !== undefined && f[1] === known.principalName;
    if (!sameName) this.text.push(f[0]);
    if (!sameUpn) this.text.push(f[1]);
    this.push(
      (sameName ? 'n' : 'N') + FIELD + (sameUpn ? 'u' : 'U') + FIELD + this.date(f[4]) + this.date(f[5]) +
        FIELD + f[2] + FIELD + f[3] + FIELD + f[6] + FIELD + f[7] + FIELD + f[8] + FIELD + f[9],
    );
  }

  /** A date's mark in the shape: 'd' (sent as its digits in base 36), 't' (sent as written), '-' (empty, not sent). */
  private date(s: string): string {
    if (s === '') return '-';
    const short = dateOut(s);
    this.text.push(short ?? s);
    return short === null ? 't' : 'd';
  }

  private push(key: string): void {
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.shapes.length;
      this.shapes.push(key);
      this.index.set(key, k);
    }
    this.shape.push(k);
  }

  finish(): FactsWire {
    return { shapes: this.shapes, shape: this.shape, text: this.text };
  }
}

export function encodeFacts(ids: readonly string[], facts: readonly string[], names: Names): FactsWire {
  const e = new FactsEncoder(names);
  for (let i = 0; i < facts.length; i++) e.add(ids[i], facts[i]);
  return e.finish();
}

/** The packed strings back (one per id), or null when the wire form does not add up. */
export function decodeFacts(ids: readonly string[], w: FactsWire, names: Names): string[] | null {
  if (w.shape.length !== ids.length) return null;
  // Per shape, once: its marks and the text between the dates and after them.
  const shapes = w.shapes.map((key) => {
    const s = key.split(FIELD);
    if (s.length === 1 && s[0] === 'R') return { raw: true, n: '', u: '', named: false, d0: '', d1: '', mid: '', tail: '' };
    if (s.length !== FIELDS - 1 || s[2].length !== 2) return null;
    const named = s[0] === 'n' || s[1] === 'u';
    return { raw: false, n: s[0], u: s[1], named, d0: s[2][0], d1: s[2][1], mid: FIELD + s[3] + FIELD + s[4] + FIELD, tail: FIELD + s.slice(5).join(FIELD) };
  });
  const text = w.text;
  const out = new Array<string>(ids.length);
  let t = 0;
  const date = (mark: string): string | null => {
    if (mark === '-') return '';
    if (t >= text.length) return null;
    const v = text[t++];
    return mark === 'd' ? dateIn(v) : mark === 't' ? v : null;
  };
  for (let i = 0; i < ids.length; i++) {
    const s = shapes[w.shape[i]];
    if (!s) return null;
    if (s.raw) {
      if (t >= text.length) return null;
      out[i] = text[t++];
      continue;
    }
    const known = s.named ? names(ids[i]) : undefined;
    if (s.named && !known) return null;
    const name = s.n === 'n' ? known!.displayName : t < text.length ? text[t++] : null;
    const upn = s.u === 'u' ? known!.principalName : t < text.length ? text[t++] : null;
    const expiry = date(s.d0);
    const activity = date(s.d1);
    if (name === null || upn === null || expiry === null || activity === null) return null;
    out[i] = name + FIELD + upn + s.mid + expiry + FIELD + activity + s.tail;
  }
  return t === text.length ? out : null;
}
