// Checks a Graph JSON payload against the v1.0 schema (csdl.ts): every property exists on its type with
// the declared type and nullability, enum values are declared members (evolvable ones only when the
// request asked for them), navigation properties appear only when expanded, and @odata annotations only
// where Graph puts them. Returns plain-language problems, one per finding; empty means faithful.
import type { ExpandItem } from '../odata';
import {
  allProperties,
  derivesFrom,
  enumMembersShown,
  lineage,
  navigationOf,
  propertyOf,
  type PropertyDef,
  type Schema,
} from './csdl';

export interface PayloadContext {
  /** What the request expanded (nested), `[]` when nothing. */
  expand: ExpandItem[];
  /** What it selected, or null (default properties). */
  select: string[] | null;
  /** The request carried `Prefer: include-unknown-enum-members`. */
  includeUnknownEnums: boolean;
  /**
   * A request body, not an answer: only what is sent is checked (no property is required) and
   * relationships may be given inline (deep insert / bind by id).
   */
  body?: true;
}

/**
 * Types whose default answer is a subset of their properties (Graph returns some user properties only on
 * $select), so a missing property is no finding there.
 */
const PARTIAL_BY_DEFAULT = new Set(['user', 'directoryObject']);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** A collection answer: `@odata.context`, `value`, optional `@odata.nextLink` / `@odata.count`. */
export function validateCollection(schema: Schema, body: unknown, type: string, ctx: PayloadContext): string[] {
  const out: string[] = [];
  if (!isObj(body)) return ['the answer is not a JSON object'];
  for (const k of Object.keys(body)) {
    if (!['@odata.context', 'value', '@odata.nextLink', '@odata.count'].includes(k)) out.push(`unexpected top-level member '${k}' in a collection`);
  }
  if (typeof body['@odata.context'] !== 'string') out.push("a collection without '@odata.context'");
  if (!Array.isArray(body.value)) return [...out, "a collection without a 'value' list"];
  body.value.forEach((v, i) => out.push(...validateObject(schema, v, type, ctx, `value[${i}]`)));
  return out;
}

/** A single entity answer: `@odata.context` then the entity's members. */
export function validateEntity(schema: Schema, body: unknown, type: string, ctx: PayloadContext): string[] {
  if (!isObj(body)) return ['the answer is not a JSON object'];
  const out: string[] = [];
  if (typeof body['@odata.context'] !== 'string') out.push("an entity without '@odata.context'");
  const rest = { ...body };
  delete rest['@odata.context'];
  return [...out, ...validateObject(schema, rest, type, ctx, '')];
}

/** One object of the declared (entity or complex) type; `@odata.type` may name a derived type. */
export function validateObject(schema: Schema, value: unknown, declared: string, ctx: PayloadContext, path: string): string[] {
  const at = path || '(root)';
  if (!isObj(value)) return [`${at}: expected an object of type ${declared}, got ${describe(value)}`];
  const out: string[] = [];
  let type = declared;
  const odataType = value['@odata.type'];
  if (odataType !== undefined) {
    const named = typeof odataType === 'string' ? odataType.replace(/^#(microsoft\.graph\.)?/, '') : '';
    if (!schema.types.has(named)) out.push(`${at}: @odata.type '${String(odataType)}' is not a known type`);
    else if (!derivesFrom(schema, named, declared)) out.push(`${at}: @odata.type '${named}' does not derive from ${declared}`);
    else type = named;
  }
  const known = schema.types.get(type);
  if (!known) return out; // a type outside the subset: its shape cannot be checked here
  if (known.abstract && odataType === undefined && !ctx.body) {
    out.push(`${at}: an object of abstract type ${type} without @odata.type`);
  }
  const expanded = new Map(ctx.expand.map((e) => [e.name, e]));
  for (const [k, v] of Object.entries(value)) {
    if (k === '@odata.type') continue;
    const where = path ? `${path}.${k}` : k;
    const ann = /^([^@]*)@odata\.(.+)$/.exec(k);
    if (ann) {
      const [, owner, term] = ann;
      const nav = owner ? navigationOf(schema, type, owner) : undefined;
      if (!(nav && nav.collection && expanded.has(owner) && (term === 'nextLink' || term === 'count'))) {
        out.push(`${where}: an @odata annotation Graph does not put here`);
      }
      continue;
    }
    const prop = propertyOf(schema, type, k);
    if (prop) {
      if (ctx.select && !ctx.select.some((s) => s.toLowerCase() === k.toLowerCase())) out.push(`${where}: sent although not selected`);
      out.push(...validateValue(schema, v, prop, ctx, where));
      continue;
    }
    const nav = navigationOf(schema, type, k);
    if (nav && ctx.body) {
      const inner: PayloadContext = { expand: [], select: null, includeUnknownEnums: ctx.includeUnknownEnums, body: true };
      if (nav.collection) {
        if (!Array.isArray(v)) out.push(`${where}: expected a list of ${nav.type}`);
        else v.forEach((x, i) => out.push(...validateObject(schema, x, nav.type, inner, `${where}[${i}]`)));
      } else if (v !== null) out.push(...validateObject(schema, v, nav.type, inner, where));
      continue;
    }
    if (nav) {
      const e = expanded.get(k);
      if (!e) {
        out.push(`${where}: navigation property ${type}.${k} sent without $expand`);
        continue;
      }
      const inner: PayloadContext = { expand: e.expand, select: e.select, includeUnknownEnums: ctx.includeUnknownEnums };
      if (v === null) {
        if (nav.collection) out.push(`${where}: an expanded collection is null`);
      } else if (nav.collection) {
        if (!Array.isArray(v)) out.push(`${where}: expected a list of ${nav.type}`);
        else v.forEach((x, i) => out.push(...validateObject(schema, x, nav.type, inner, `${where}[${i}]`)));
      } else {
        out.push(...validateObject(schema, v, nav.type, inner, where));
      }
      continue;
    }
    if (!known.openType) out.push(`${where}: ${type} has no property '${k}'`);
  }
  if (!ctx.body && !PARTIAL_BY_DEFAULT.has(type) && !lineage(schema, type).some((t) => PARTIAL_BY_DEFAULT.has(t.name))) {
    const wanted = ctx.select && known.kind === 'entity' ? ctx.select : null;
    for (const p of allProperties(schema, type)) {
      if (wanted && !wanted.some((s) => s.toLowerCase() === p.name.toLowerCase())) continue;
      if (!(p.name in value)) out.push(`${path ? `${path}.` : ''}${p.name}: ${type} property missing (Graph sends every property${wanted ? ' selected' : ''})`);
    }
  }
  return out;
}

function validateValue(schema: Schema, v: unknown, p: PropertyDef, ctx: PayloadContext, where: string): string[] {
  if (v === null) return p.nullable || p.collection ? (p.collection ? [`${where}: a collection is null (Graph sends [])`] : []) : [`${where}: null, but ${p.type} is not nullable here`];
  if (p.collection) {
    if (!Array.isArray(v)) return [`${where}: expected a list of ${p.type}, got ${describe(v)}`];
    const one: PropertyDef = { ...p, collection: false, nullable: false };
    return v.flatMap((x, i) => validateValue(schema, x, one, ctx, `${where}[${i}]`));
  }
  // Expansions through this complex property (OData path `complex/navigation`, e.g. answers/answeredQuestion).
  const through = ctx.expand
    .filter((e) => e.name.toLowerCase().startsWith(`${p.name.toLowerCase()}/`))
    .map((e) => ({ ...e, name: e.name.slice(p.name.length + 1) }));
  const inner: PayloadContext = { expand: through, select: null, includeUnknownEnums: ctx.includeUnknownEnums, ...(ctx.body ? { body: true as const } : {}) };
  switch (p.type) {
    case 'Edm.String':
      return typeof v === 'string' ? [] : [`${where}: expected a string, got ${describe(v)}`];
    case 'Edm.Boolean':
      return typeof v === 'boolean' ? [] : [`${where}: expected a boolean, got ${describe(v)}`];
    case 'Edm.Int32':
    case 'Edm.Int64':
      return Number.isInteger(v) ? [] : [`${where}: expected an integer, got ${describe(v)}`];
    case 'Edm.DateTimeOffset':
      return typeof v === 'string' && ISO_DATE_TIME.test(v) ? [] : [`${where}: expected an ISO 8601 date-time, got ${JSON.stringify(v)}`];
    case 'Edm.Duration':
      return typeof v === 'string' && ISO_DURATION.test(v) ? [] : [`${where}: expected an ISO 8601 duration, got ${JSON.stringify(v)}`];
    default:
      break;
  }
  const e = schema.enums.get(p.type);
  if (e) {
    if (typeof v !== 'string') return [`${where}: expected a ${p.type} member, got ${describe(v)}`];
    const shown = enumMembersShown(e, ctx.includeUnknownEnums);
    if (shown.includes(v)) return [];
    if (e.members.includes(v)) return [`${where}: '${v}' is sent only with Prefer: include-unknown-enum-members (else unknownFutureValue)`];
    return [`${where}: '${v}' is not a member of ${p.type}`];
  }
  if (schema.types.has(p.type)) return validateObject(schema, v, p.type, inner, where);
  return isObj(v) || Array.isArray(v) ? [] : [`${where}: expected an object of type ${p.type}, got ${describe(v)}`];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `a ${typeof v}`;
}
