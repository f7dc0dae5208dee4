// The slice of OData the demo tenant understands: $filter expressions, $select and $expand lists.
// Endpoints decide which of the parsed forms they accept, as Graph does per resource.

export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'cmp'; path: string; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; value: Literal }
  | { kind: 'in'; path: string; values: Literal[] }
  | { kind: 'call'; name: string; path: string; value: Literal };

/** A malformed query option; the message reads like Graph's. */
export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ','; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === "'") {
      const at = i;
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw syntax(src, at, 'unterminated string literal');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v, at });
    } else if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ t: 'punct', v: ch, at: i++ });
    } else if (/[0-9-]/.test(ch)) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      if (!m) throw syntax(src, i, `character '${ch}' is not valid`);
      // GUIDs and dates may appear unquoted in some OData dialects; Graph wants them quoted here.
      if (/^[0-9a-fA-F-]/.test(src[i + m[0].length] ?? '') && !/^\s/.test(src[i + m[0].length] ?? ' ')) {
        throw syntax(src, i, `character '${src[i + m[0].length]}' is not valid`);
      }
      out.push({ t: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(ch)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$./]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0], at: i });
      i += m[0].length;
    } else {
      throw syntax(src, i, `character '${ch}' is not valid`);
    }
  }
  return out;
}

function syntax(src: string, at: number, what: string): ODataError {
  return new ODataError('BadRequest', `Invalid filter clause: Syntax error: ${what} at position ${at} in '${src}'.`);
}

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Parses a $filter value; throws ODataError on a syntax error. */
export function parseFilter(src: string): FilterNode {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isWord = (w: string) => {
    const t = toks[pos];
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  const expect = (p: '(' | ')' | ',') => {
    const t = toks[pos];
    if (t?.t !== 'punct' || t.v !== p) throw syntax(src, t?.at ?? src.length, `'${p}' expected`);
    pos++;
  };
  const literal = (): Literal => {
    const t = toks[pos++];
    if (!t) throw syntax(src, src.length, 'literal expected');
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'word') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw syntax(src, t.at, 'literal expected');
  };
  const path = (): string => {
    const t = toks[pos++];
    if (t?.t !== 'word') throw syntax(src, t?.at ?? src.length, 'property expected');
    return t.v;
  };

  const primary = (): FilterNode => {
    const t = peek();
    if (!t) throw syntax(src, src.length, 'expression expected');
    if (t.t === 'punct' && t.v === '(') {
      pos++;
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'word' && toks[pos + 1]?.t === 'punct' && (toks[pos + 1] as { v: string }).v === '(') {
      const name = t.v.toLowerCase();
      pos += 2;
      const p = path();
      expect(',');
      const value = literal();
      expect(')');
      return { kind: 'call', name, path: p, value };
    }
    const p = path();
    const opTok = toks[pos++];
    if (opTok?.t !== 'word') throw syntax(src, opTok?.at ?? src.length, 'operator expected');
    const op = opTok.v.toLowerCase();
    if (op === 'in') {
      expect('(');
      const values: Literal[] = [literal()];
      while (peek()?.t === 'punct' && (peek() as { v: string }).v === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', path: p, values };
    }
    if (!COMPARE.has(op)) throw syntax(src, opTok.at, `unknown operator '${opTok.v}'`);
    return { kind: 'cmp', path: p, op: op as 'eq', value: literal() };
  };
  const unary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', item: unary() };
    }
    return primary();
  };
  const and = (): FilterNode => {
    const items = [unary()];
    while (isWord('and')) {
      pos++;
      items.push(unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const or = (): FilterNode => {
    const items = [and()];
    while (isWord('or')) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const root = or();
  if (pos < toks.length) throw syntax(src, toks[pos].at, `unexpected '${String(toks[pos].v)}'`);
  return root;
}

/** The top-level `and` items (a single clause is a list of one). */
export function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? node.items.flatMap(conjuncts) : [node];
}

/** Every property path the filter touches. */
export function filterPaths(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.flatMap(filterPaths);
    case 'not':
      return filterPaths(node.item);
    default:
      return [node.path];
  }
}

/** Number of values an `in` clause or chain of `or` clauses asks for (Graph caps it at 15). */
export function orWidth(node: FilterNode): number {
  switch (node.kind) {
    case 'or':
      return node.items.reduce((n, i) => n + orWidth(i), 0);
    case 'in':
      return node.values.length;
    case 'and':
      return Math.max(...node.items.map(orWidth));
    case 'not':
      return orWidth(node.item);
    default:
      return 1;
  }
}

/** One `$expand` item: `target($select=a,b;$expand=connectedOrganization)`. */
export interface ExpandItem {
  name: string;
  select: string[] | null;
  expand: ExpandItem[];
}

/** Splits on a separator at parenthesis depth 0. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

export function parseSelect(value: string | null): string[] | null {
  if (value === null) return null;
  return splitTop(value, ',');
}

export function parseExpand(value: string | null): ExpandItem[] {
  if (!value) return [];
  return splitTop(value, ',').map((item) => {
    const open = item.indexOf('(');
    if (open < 0) return { name: item, select: null, expand: [] };
    if (!item.endsWith(')')) throw new ODataError('BadRequest', `Invalid $expand: '${item}'.`);
    const name = item.slice(0, open).trim();
    const inner = item.slice(open + 1, -1);
    let select: string[] | null = null;
    let expand: ExpandItem[] = [];
    for (const opt of splitTop(inner, ';')) {
      const eq = opt.indexOf('=');
      const key = opt.slice(0, eq).trim().toLowerCase();
      const v = opt.slice(eq + 1);
      if (key === '$select') select = parseSelect(v);
      else if (key === '$expand') expand = parseExpand(v);
      else throw new ODataError('BadRequest', `Query option '${opt.slice(0, eq)}' is not allowed inside $expand.`);
    }
    return { name, select, expand };
  });
}

/**
 * Keeps the selected properties (matched case-insensitively, emitted with their real names). Unknown
 * names are refused as Graph does: "Could not find a property named 'x' on type 'microsoft.graph.t'".
 */
export function resolveSelect(select: string[] | null, known: readonly string[], typeName: string): string[] | null {
  if (select === null) return null;
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return select.map((s) => {
    const k = byLower.get(s.toLowerCase());
    if (!k) throw new ODataError('BadRequest', `Could not find a property named '${s}' on type 'microsoft.graph.${typeName}'.`);
    return k;
  });
}

/** Literal as a lower-case string for case-insensitive comparison of ids and enum values. */
export function literalText(v: Literal): string {
  return v === null ? 'null' : String(v).toLowerCase();
}
