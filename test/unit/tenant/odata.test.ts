import { conjuncts, ODataError, orWidth, parseExpand, parseFilter } from '../../tenant/odata';

describe('parseFilter', () => {
  it('reads a conjunction of equality clauses with quoted values', () => {
    const node = parseFilter("accessPackage/id eq 'a1' and state eq 'Delivered' and target/objectId eq 'O''Brien'");
    expect(conjuncts(node)).toEqual([
      { kind: 'cmp', path: 'accessPackage/id', op: 'eq', value: 'a1' },
      { kind: 'cmp', path: 'state', op: 'eq', value: 'Delivered' },
      { kind: 'cmp', path: 'target/objectId', op: 'eq', value: "O'Brien" },
    ]);
  });

  it('binds and tighter than or, and reads functions, in-lists, not and literals', () => {
    const node = parseFilter("startswith(displayName,'a') or userType eq 'Guest' and accountEnabled eq false");
    expect(node).toEqual({
      kind: 'or',
      items: [
        { kind: 'call', name: 'startswith', path: 'displayName', value: 'a' },
        { kind: 'and', items: [{ kind: 'cmp', path: 'userType', op: 'eq', value: 'Guest' }, { kind: 'cmp', path: 'accountEnabled', op: 'eq', value: false }] },
      ],
    });
    expect(parseFilter("id in ('x','y', 'z')")).toEqual({ kind: 'in', path: 'id', values: ['x', 'y', 'z'] });
    expect(parseFilter('not (mail eq null)')).toEqual({ kind: 'not', item: { kind: 'cmp', path: 'mail', op: 'eq', value: null } });
  });

  it('counts the width of or-chains and in-lists', () => {
    expect(orWidth(parseFilter("id in ('1','2','3') or id eq '4'"))).toBe(4);
    expect(orWidth(parseFilter("a eq '1' and (b eq '1' or b eq '2')"))).toBe(2);
  });

  it('rejects malformed filters with a Graph-like message', () => {
    for (const bad of ["state eq 'open", 'state eq', "state eq 'a' and", "state == 'a'", "id eq 4e7c1a2b-0000", "(state eq 'a'", "state eq 'a')"]) {
      expect(() => parseFilter(bad)).toThrow(ODataError);
    }
    try {
      parseFilter("state ~ 'x'");
    } catch (e) {
      expect((e as Error).message).toMatch(/^Invalid filter clause: Syntax error/);
    }
  });
});

describe('parseExpand', () => {
  it('reads nested $select and $expand', () => {
    expect(parseExpand('target($select=id,email;$expand=connectedOrganization),assignmentPolicy')).toEqual([
      { name: 'target', select: ['id', 'email'], expand: [{ name: 'connectedOrganization', select: null, expand: [] }] },
      { name: 'assignmentPolicy', select: null, expand: [] },
    ]);
  });

  it('refuses options Graph does not allow inside $expand', () => {
    expect(() => parseExpand('target($top=1)')).toThrow(ODataError);
  });
});
