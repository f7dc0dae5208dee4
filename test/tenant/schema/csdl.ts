// Microsoft Graph v1.0 metadata (CSDL) for the entitlement-management types the product touches, read
// into plain maps: what properties and navigation properties each type has, their declared types and
// nullability, and the members of each enum. The XML beside this file is a subset of Microsoft's published
// v1.0 metadata (msgraph-metadata, clean_v10_metadata/cleanMetadata.xml, MIT licence).
//
// The subset ends with a few definitions that belong to other namespaces in the full metadata
// (externalConnectors.identity, callRecords' user and userIdentity): the first definition of a name is
// the microsoft.graph one and wins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PropertyDef {
  name: string;
  /** e.g. `Edm.String`, `graph.accessPackageSubject` (namespace alias stripped to the bare name). */
  type: string;
  collection: boolean;
  nullable: boolean;
}

export interface StructuredType {
  kind: 'entity' | 'complex';
  name: string;
  baseType: string | null;
  abstract: boolean;
  openType: boolean;
  properties: Map<string, PropertyDef>;
  navigation: Map<string, PropertyDef>;
}

export interface EnumDef {
  kind: 'enum';
  name: string;
  /** In declaration order. Members after `unknownFutureValue` are "evolvable": see `enumMembersShown`. */
  members: string[];
}

export interface Schema {
  types: Map<string, StructuredType>;
  enums: Map<string, EnumDef>;
  /** Bound actions: `<bindingType>/<action>` (e.g. `accessPackageAssignment/reprocess`). */
  actions: Set<string>;
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
};

/** `Collection(graph.x)` → { type: 'x', collection: true }; `Edm.String` stays as it is. */
function typeRef(raw: string): { type: string; collection: boolean } {
  const m = /^Collection\((.*)\)$/.exec(raw);
  const inner = m ? m[1] : raw;
  const type = inner.startsWith('Edm.') ? inner : inner.replace(/^(graph|microsoft\.graph|self)\./, '');
  return { type, collection: !!m };
}

/** Reads a CSDL document (one Schema, namespace microsoft.graph, alias graph). */
export function parseCsdl(xml: string): Schema {
  const types = new Map<string, StructuredType>();
  const enums = new Map<string, EnumDef>();
  const actions = new Set<string>();
  const blockRe = /<(EntityType|ComplexType|EnumType|Action)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
  for (let m = blockRe.exec(xml); m !== null; m = blockRe.exec(xml)) {
    const [, kind, head, , body = ''] = m;
    const name = attr(head, 'Name');
    if (!name) continue;
    if (kind === 'EnumType') {
      if (enums.has(name)) continue;
      const members = [...body.matchAll(/<Member\b[^>]*\bName="([^"]+)"/g)].map((x) => x[1]);
      enums.set(name, { kind: 'enum', name, members });
      continue;
    }
    if (kind === 'Action') {
      const binding = /<Parameter\b[^>]*Name="bindingParameter"[^>]*Type="([^"]+)"/.exec(body);
      if (binding) actions.add(`${typeRef(binding[1]).type}/${name}`);
      continue;
    }
    if (types.has(name)) continue;
    const base = attr(head, 'BaseType');
    const t: StructuredType = {
      kind: kind === 'EntityType' ? 'entity' : 'complex',
      name,
      baseType: base ? typeRef(base).type : null,
      abstract: attr(head, 'Abstract') === 'true',
      openType: attr(head, 'OpenType') === 'true',
      properties: new Map(),
      navigation: new Map(),
    };
    for (const p of body.matchAll(/<(Property|NavigationProperty)\b([^>]*?)\/?>/g)) {
      const pname = attr(p[2], 'Name');
      const ptype = attr(p[2], 'Type');
      if (!pname || !ptype) continue;
      const def: PropertyDef = { name: pname, ...typeRef(ptype), nullable: attr(p[2], 'Nullable') !== 'false' };
      (p[1] === 'Property' ? t.properties : t.navigation).set(pname, def);
    }
    types.set(name, t);
  }
  return { types, enums, actions };
}

let cached: Schema | null = null;

/** The v1.0 entitlement-management subset kept beside this file. */
export function loadSchema(): Schema {
  cached ??= parseCsdl(readFileSync(join(__dirname, 'graph-v1.0-entitlement.csdl.xml'), 'utf8'));
  return cached;
}

/** The type and every base type, most derived first. */
export function lineage(schema: Schema, name: string): StructuredType[] {
  const out: StructuredType[] = [];
  for (let t = schema.types.get(name); t; t = t.baseType ? schema.types.get(t.baseType) : undefined) out.push(t);
  return out;
}

/** A structural property of the type or a base type. */
export function propertyOf(schema: Schema, type: string, name: string): PropertyDef | undefined {
  for (const t of lineage(schema, type)) {
    const p = t.properties.get(name);
    if (p) return p;
  }
  return undefined;
}

/** A navigation property of the type or a base type. */
export function navigationOf(schema: Schema, type: string, name: string): PropertyDef | undefined {
  for (const t of lineage(schema, type)) {
    const p = t.navigation.get(name);
    if (p) return p;
  }
  return undefined;
}

/** Every structural property of the type, base types included. */
export function allProperties(schema: Schema, type: string): PropertyDef[] {
  return lineage(schema, type).flatMap((t) => [...t.properties.values()]);
}

/** True when `derived` is `base` or derives from it. */
export function derivesFrom(schema: Schema, derived: string, base: string): boolean {
  return lineage(schema, derived).some((t) => t.name === base);
}

/**
 * The enum members Graph shows: without `Prefer: include-unknown-enum-members`, members declared after
 * `unknownFutureValue` are sent as `unknownFutureValue` (Microsoft's evolvable-enum pattern).
 */
export function enumMembersShown(e: EnumDef, includeUnknown: boolean): string[] {
  if (includeUnknown) return e.members;
  const at = e.members.indexOf('unknownFutureValue');
  return at < 0 ? e.members : e.members.slice(0, at + 1);
}

/** The value Graph sends for a stored member, given whether the caller asked for evolvable members. */
export function shownMember(e: EnumDef, value: string, includeUnknown: boolean): string {
  if (includeUnknown) return value;
  const shown = enumMembersShown(e, false);
  return shown.some((m) => m.toLowerCase() === value.toLowerCase()) ? value : 'unknownFutureValue';
}
