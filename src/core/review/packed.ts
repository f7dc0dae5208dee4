// The compact forms that keep a 50,000-row decision cheap: a row's facts as ONE string (a structured clone
// of one string per row costs a copy; an object with two arrays per row costs thousands of allocations on
// each of the port, IndexedDB and the worker), and a whole review's decisions as columns (ids, one letter
// per decision, shared justification/reviewer/time groups, packed facts) for the resume message.
import type { Decision, DecisionRecord, ReviewRow, RowFacts } from './model';
import type { Recommendation, RecommendationReason } from './recommend';

const FIELD = '\u001f';
const ITEM = '\u001e';

const list = (s: string): string[] => (s === '' ? [] : s.split(ITEM));

/** One string holding the facts (a separator character inside a text, which no real name holds, becomes a space). */
export function packFacts(f: RowFacts): string {
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
  ].join(FIELD);
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
