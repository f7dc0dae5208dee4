// Pure rules of the actions UI.
import Papa from 'papaparse';
import { emptyFilter } from '../../../src/core/filters';
import type { PolicyInfo, ViewRow } from '../../../src/core/model';
import type { ActionEntry } from '../../../src/messages';
import {
  addBlockedReason,
  badgeTitle,
  canConfirmRemoval,
  dateToIso,
  graphRequestForView,
  latestBatchId,
  logFileName,
  logToCsv,
  LOG_HEADER,
  needsTypedCount,
  planRemoval,
  policyOptions,
  resultForRow,
  rowResults,
  statusCounts,
  typedCountMatches,
} from '../../../src/panel/actions/status';

const entry = (batchId: string, key: string, result: ActionEntry['result'], at: string, over: Partial<ActionEntry> = {}): ActionEntry => ({
  batchId,
  kind: 'remove',
  key,
  label: `User ${key}`,
  packageId: 'pkg',
  actor: 'admin@contoso.com',
  result,
  at,
  ...over,
});

const view = (id: string, over: Partial<ViewRow> = {}): ViewRow => ({
  id,
  state: 'delivered',
  status: 'Delivered',
  policyId: 'p1',
  policyName: 'P1',
  start: null,
  expiry: null,
  subjectId: null,
  objectId: `u-${id}`,
  displayName: `Name ${id}`,
  principalName: `${id}@contoso.com`,
  email: '',
  subjectType: 'user',
  connectedOrgId: null,
  connectedOrgName: '',
  user: null,
  staleReasons: [],
  activity: null,
  ...over,
});

describe('action status counts', () => {
  test('count the latest batch only', () => {
    const log = [
      entry('B1', 'a', 'failed', '2025-06-15T10:00:00Z'),
      entry('B1', 'b', 'failed', '2025-06-15T10:00:01Z'),
      entry('B2', 'c', 'done', '2025-06-15T11:00:00Z'),
      entry('B2', 'd', 'pending', '2025-06-15T11:00:01Z'),
      entry('B2', 'e', 'failed', '2025-06-15T11:00:02Z'),
    ];
    expect(statusCounts(log)).toEqual({ batchId: 'B2', pending: 1, failed: 1, done: 1 });
  });

  test('a retry of an older batch makes it the latest again', () => {
    const log = [
      entry('B1', 'a', 'done', '2025-06-15T12:30:00Z'),
      entry('B1', 'b', 'pending', '2025-06-15T12:30:00Z'),
      entry('B2', 'c', 'done', '2025-06-15T11:00:00Z'),
    ];
    expect(statusCounts(log)).toEqual({ batchId: 'B1', pending: 1, failed: 0, done: 1 });
  });

  test('no entries: nothing counted', () => {
    expect(statusCounts([])).toEqual({ batchId: null, pending: 0, failed: 0, done: 0 });
    expect(latestBatchId([])).toBeNull();
  });
});

describe('removal confirmation', () => {
  test('typing the count is required from 25 assignments on, not at 24', () => {
    expect(needsTypedCount(24)).toBe(false);
    expect(needsTypedCount(25)).toBe(true);
    expect(canConfirmRemoval(24, '')).toBe(true);
    expect(canConfirmRemoval(25, '')).toBe(false);
    expect(canConfirmRemoval(25, '24')).toBe(false);
    expect(canConfirmRemoval(25, '250')).toBe(false);
    expect(canConfirmRemoval(25, '25')).toBe(true);
    expect(canConfirmRemoval(0, '')).toBe(false);
  });

  test('the typed count may carry thousands separators, nothing else', () => {
    expect(typedCountMatches('1,234', 1234)).toBe(true);
    expect(typedCountMatches(' 1 234 ', 1234)).toBe(true);
    expect(typedCountMatches('1234x', 1234)).toBe(false);
    expect(typedCountMatches('', 1234)).toBe(false);
  });

  test('the plan leaves out rows without an assignment id and counts those the filter hides', () => {
    const rows = [view('a'), view('unidentified:7'), view('b'), view('a'), view('c', { displayName: '', principalName: 'c@x.com' })];
    const plan = planRemoval(rows, new Set(['a', 'unidentified:7']));
    expect(plan).toEqual({ ids: ['a', 'b', 'c'], labels: ['Name a', 'Name b', 'c@x.com'], skipped: 1, hidden: 2 });
  });
});

describe('direct add rules', () => {
  const direct: PolicyInfo = { id: 'p1', displayName: 'Direct', allowsDirectAssignment: true, hasQuestions: false };
  const questions: PolicyInfo = { id: 'p2', displayName: 'Employees', allowsDirectAssignment: true, hasQuestions: true };
  const auto: PolicyInfo = { id: 'p3', displayName: 'Sales', allowsDirectAssignment: false, hasQuestions: false };

  test('policies that assign automatically are offered disabled with the reason; questions mean one user', () => {
    expect(policyOptions([direct, questions, auto]).map((o) => [o.policy.id, o.disabled, o.note])).toEqual([
      ['p1', false, ''],
      ['p2', false, 'requestor questions: one user at a time'],
      ['p3', true, 'assigns automatically: no direct assignment'],
    ]);
  });

  test('a policy with questions takes one user, not two', () => {
    expect(addBlockedReason(questions, 1, '', '')).toBeNull();
    expect(addBlockedReason(questions, 2, '', '')).toMatch(/one user at a time.*2 chosen/);
    expect(addBlockedReason(direct, 2, '', '')).toBeNull();
    expect(addBlockedReason(auto, 1, '', '')).toMatch(/automatically/);
    expect(addBlockedReason(null, 1, '', '')).toBe('Choose a policy.');
    expect(addBlockedReason(direct, 0, '', '')).toBe('Choose at least one user.');
    expect(addBlockedReason(direct, 1, '2025-07-02', '2025-07-01')).toMatch(/before the start/);
  });

  test('dates are UTC midnight, anything else is no date', () => {
    expect(dateToIso('2025-07-01')).toBe('2025-07-01T00:00:00Z');
    expect(dateToIso('')).toBeNull();
    expect(dateToIso('2025-13-01')).toBeNull();
  });
});

describe('row results', () => {
  test("a row shows its assignment's latest removal, or the latest add of its user under its policy", () => {
    const log = [
      entry('B1', 'A1', 'failed', '2025-06-15T10:00:00Z', { message: 'Locked.' }),
      entry('B2', 'a1', 'done', '2025-06-15T10:05:00Z'),
      entry('C1', 'U-9', 'pending', '2025-06-15T10:06:00Z', { kind: 'add', policyId: 'p1' }),
    ];
    const r = rowResults(log);
    expect(resultForRow(r, { id: 'a1', objectId: null, policyId: 'p1' })?.batchId).toBe('B2');
    expect(resultForRow(r, { id: 'zz', objectId: 'u-9', policyId: 'p1' })?.result).toBe('pending');
    expect(resultForRow(r, { id: 'zz', objectId: 'u-9', policyId: 'p2' })).toBeNull();
  });

  test("the badge title carries Graph's code and words and any note", () => {
    expect(badgeTitle(entry('B', 'a', 'failed', 'x', { code: 'BadRequest', message: 'Locked.' }))).toBe('Removal failed (BadRequest) — Locked.');
    expect(badgeTitle(entry('B', 'a', 'done', 'x', { message: 'Accepted by Graph.', note: 'Still listed.' }))).toBe('Removal accepted — Accepted by Graph. — Still listed.');
    // Every kind and result has its words (the message key is built from them).
    for (const kind of ['remove', 'add', 'reprocess', 'extend'] as const) {
      for (const result of ['pending', 'failed', 'done'] as const) {
        expect(badgeTitle(entry('B', 'a', result, 'x', { kind }))).toMatch(/^(Removal|Direct add|Reprocess|Extension) (pending|failed|accepted)$/);
      }
    }
  });
});

describe('the log as CSV', () => {
  test('newest first, every field, formula-guarded, with the policy by name', () => {
    const log = [
      entry('B1', 'a', 'failed', '2025-06-15T10:00:00Z', { code: 'BadRequest', message: '=HYPERLINK("x")', label: 'Ann', filter: 'search "a"' }),
      entry('C1', 'u', 'done', '2025-06-15T11:00:00Z', { kind: 'add', policyId: 'p1', requestId: 'r1', label: 'Bob' }),
    ];
    const csv = logToCsv(log, (id) => (id === 'p1' ? 'Direct' : ''));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([...LOG_HEADER]);
    expect(parsed[1]).toEqual(['2025-06-15T11:00:00Z', 'admin@contoso.com', 'add', 'Bob', 'u', 'Direct', 'done', '', '', '', 'r1', 'C1', '']);
    expect(parsed[2]).toEqual(['2025-06-15T10:00:00Z', 'admin@contoso.com', 'remove', 'Ann', 'a', '', 'failed', 'BadRequest', '\'=HYPERLINK("x")', '', '', 'B1', 'search "a"']);
  });

  test('file name: package name made safe, UTC stamp', () => {
    expect(logFileName('Sales: <EU>/"team"', new Date('2025-06-15T09:05:03Z'))).toBe('Sales_ _EU___team_-action-log-20250615-090503.csv');
  });
});

test('"Copy as Graph request" lists the package with the view\'s filter named, on one line per part', () => {
  const text = graphRequestForView('pkg-1', { search: 'a\nGET https://evil', facets: { state: ['delivered'] } }, 'usgov');
  const lines = text.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[2]).toBe(
    "GET https://graph.microsoft.us/v1.0/identityGovernance/entitlementManagement/assignments?$filter=accessPackage%2Fid%20eq%20'pkg-1'&$expand=target,assignmentPolicy",
  );
  expect(lines[1]).toMatch(/^# The overlay then applies the view's filter: .*delivered/);
  expect(graphRequestForView('pkg-1', emptyFilter(), 'global').split('\n')).toHaveLength(3);
});
