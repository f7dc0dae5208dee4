import fc from 'fast-check';
import { graphRequestsForRemoval, powershellForRemoval, powershellForView, psLiteral } from '../../../src/core/scripts';

const PKG = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
/** PowerShell keeps the second of two escaped quotes; for comparison all quote characters are one. */
const normQuotes = (s: string) => [...s].map((c) => (QUOTES.has(c) ? "'" : c)).join('');

/**
 * PowerShell's rule for a single-quoted string starting at `start`: any of the single-quote characters
 * ends it, unless immediately followed by another one (an escaped quote). Returns the decoded text and
 * the index just after the closing quote.
 */
function readPsLiteral(src: string, start: number): { value: string; end: number } {
  expect(QUOTES.has(src[start])).toBe(true);
  let value = '';
  for (let i = start + 1; i < src.length; i++) {
    if (QUOTES.has(src[i])) {
      if (QUOTES.has(src[i + 1])) {
        value += src[i + 1];
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += src[i];
  }
  throw new Error('unterminated literal');
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("'", '\u2018', '\u2019', '\u201A', '\u201B', '"', '`', '$', '(', ')', ';', '\n', '\r', '#', '}', 'a'), maxLength: 12 }),
);

describe('psLiteral', () => {
  it('any text reads back exactly and the literal ends where it was written to end', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const lit = psLiteral(s);
        const { value, end } = readPsLiteral(lit, 0);
        expect(end).toBe(lit.length);
        expect(normQuotes(value)).toBe(normQuotes(s));
      }),
      { numRuns: 500 },
    );
  });

  it('doubles quotes', () => {
    expect(psLiteral("O'Brien")).toBe("'O''Brien'");
    expect(psLiteral('x\u2019; rm -r C:\\ #')).toBe("'x\u2019\u2019; rm -r C:\\ #'");
  });
});

describe('powershellForView', () => {
  it('lists the package with documented cmdlets, filters state/policy and exports CSV', () => {
    const ps = powershellForView(PKG, { search: '', facets: { state: ['delivered', 'expired'], policy: ['p1'] } });
    expect(ps).toContain("Connect-MgGraph -Scopes 'EntitlementManagement.Read.All'");
    expect(ps).toContain(`$accessPackageId = '${PKG}'`);
    expect(ps).toContain('Get-MgEntitlementManagementAssignment -AccessPackageId $accessPackageId -ExpandProperty');
    expect(ps).toContain(' -All');
    expect(ps).toContain("$states = @(\n  'delivered'\n  'expired'\n)");
    expect(ps).toContain('$states -contains $_.State');
    expect(ps).toContain("$policyIds = @(\n  'p1'\n)");
    expect(ps).toContain('$policyIds -contains $_.AssignmentPolicy.Id');
    expect(ps).toContain('Export-Csv');
    expect(ps).not.toContain('$search');
    expect(ps).not.toContain('Not reproduced');
  });

  it('says which filters it cannot reproduce', () => {
    const ps = powershellForView(PKG, { search: '', facets: { stale: ['inactive'], kind: ['guest'] } });
    expect(ps).toMatch(/# Not reproduced here .*: kind, stale\./);
    expect(ps).toMatch(/MORE assignments/);
  });

  it('uses the national cloud environment', () => {
    expect(powershellForView(PKG, { search: '', facets: {} }, 'usgovdod')).toContain('-Environment USGovDoD');
  });

  it('a hostile search or value cannot break out of its literal', () => {
    const sameText = (a: string, b: string) => expect(normQuotes(a)).toBe(normQuotes(b));
    fc.assert(
      fc.property(hostile.filter((s) => s !== ''), hostile, (search, state) => {
        const ps = powershellForView(PKG, { search, facets: { state: [state] } });
        const s = ps.indexOf('$states = @(\n  ') + '$states = @(\n  '.length;
        const st = readPsLiteral(ps, s);
        sameText(st.value, state);
        expect(ps.slice(st.end).startsWith('\n)\n$view = $view | Where-Object { $states -contains $_.State }\n')).toBe(true);
        const q = ps.indexOf('\n$search = ') + '\n$search = '.length;
        const lit = readPsLiteral(ps, q);
        sameText(lit.value, search);
        expect(ps.slice(lit.end).startsWith('\n$view = $view | Where-Object {\n  $t = $_.Target')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('matches search text with IndexOf, never as a wildcard or regex', () => {
    const ps = powershellForView(PKG, { search: '*[a]?', facets: {} });
    expect(ps).toContain("$search = '*[a]?'");
    expect(ps).toContain('IndexOf($search, [System.StringComparison]::OrdinalIgnoreCase)');
    expect(ps).not.toMatch(/-like|-match/);
  });
});

describe('powershellForRemoval', () => {
  it('sends one adminRemove per assignment in a loop over an array', () => {
    const ps = powershellForRemoval(['a1', 'a2']);
    expect(ps).toContain("Connect-MgGraph -Scopes 'EntitlementManagement.ReadWrite.All'");
    expect(ps).toContain("$assignmentIds = @(\n  'a1'\n  'a2'\n)");
    expect(ps).toContain('foreach ($id in $assignmentIds)');
    expect(ps).toContain('$params = @{ requestType = "adminRemove"; assignment = @{ id = $id } }');
    expect(ps).toContain('New-MgEntitlementManagementAssignmentRequest -BodyParameter $params');
    expect(ps).toContain('# Remove 2 access package assignment(s)');
  });

  it('leaves out rows without a Graph id and duplicates, and says so', () => {
    const ps = powershellForRemoval(['a1', 'unidentified:4', 'a1', '']);
    expect(ps).toContain("$assignmentIds = @(\n  'a1'\n)");
    expect(ps).toContain('# 2 selected row(s) without an assignment id');
    expect(ps).toContain('# 1 duplicate id(s)');
    expect(powershellForRemoval([])).toContain('$assignmentIds = @()');
  });

  it('hostile ids stay inside their literals', () => {
    fc.assert(
      fc.property(fc.array(hostile.filter((s) => s !== '' && !s.startsWith('unidentified:')), { maxLength: 5 }), (ids) => {
        const unique = [...new Set(ids)];
        const ps = powershellForRemoval(ids);
        let at = ps.indexOf('$assignmentIds = @(') + '$assignmentIds = @('.length;
        if (unique.length === 0) return;
        for (let k = 0; k < unique.length; k++) {
          expect(ps.slice(at, at + 3)).toBe('\n  ');
          const { end } = readPsLiteral(ps, at + 3);
          at = end;
        }
        expect(ps.slice(at).startsWith('\n)\nforeach ($id in $assignmentIds) {')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('graphRequestsForRemoval', () => {
  it('writes one POST with a JSON body per assignment', () => {
    const text = graphRequestsForRemoval(['a1', 'x"y']);
    const blocks = text.split('\n###\n\n');
    expect(blocks).toHaveLength(2);
    for (const [i, id] of ['a1', 'x"y'].entries()) {
      const [requestLine, header, blank, body] = blocks[i].split('\n');
      expect(requestLine).toBe('POST https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/assignmentRequests');
      expect(header).toBe('Content-Type: application/json');
      expect(blank).toBe('');
      expect(JSON.parse(body)).toEqual({ requestType: 'adminRemove', assignment: { id } });
    }
  });

  it('uses the cloud Graph host and notes skipped rows', () => {
    const text = graphRequestsForRemoval(['a1', 'unidentified:2'], 'china');
    expect(text).toContain('POST https://microsoftgraph.chinacloudapi.cn/v1.0/identityGovernance/');
    expect(text.startsWith('# 1 selected row(s) without an assignment id')).toBe(true);
  });
});
