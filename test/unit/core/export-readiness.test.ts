import { incompleteCsvColumns } from '../../../src/core/export-readiness';
import { user, viewRow } from './fixtures';

describe('incompleteCsvColumns: what a CSV saved during enrichment leaves unfinished', () => {
  const withUser = viewRow({ id: 'a-1', objectId: 'u-1', user: user() });
  const noUserYet = viewRow({ id: 'a-2', objectId: 'u-2', user: null });
  const sp = viewRow({ id: 'a-3', objectId: 's-1', subjectType: 'servicePrincipal', user: null });
  const notInDirectory = viewRow({ id: 'a-4', objectId: null, user: null });

  it('names nothing once user details are in', () => {
    expect(incompleteCsvColumns({ rows: [noUserYet], enriching: false, signIn: null })).toEqual([]);
  });

  it('names the account columns (and the stale ones that depend on them) while some users have no account data', () => {
    expect(incompleteCsvColumns({ rows: [withUser, noUserYet], enriching: true, signIn: { available: false, reason: 'licence' } })).toEqual([
      'User type',
      'Account enabled',
      'Stale',
      'Stale reasons',
    ]);
  });

  it('names the sign-in column while sign-in data is not known complete, in the CSV header order', () => {
    expect(incompleteCsvColumns({ rows: [withUser, noUserYet], enriching: true, signIn: null })).toEqual([
      'User type',
      'Account enabled',
      'Last successful sign-in (UTC)',
      'Stale',
      'Stale reasons',
    ]);
    expect(incompleteCsvColumns({ rows: [withUser], enriching: true, signIn: null })).toEqual(['Last successful sign-in (UTC)', 'Stale', 'Stale reasons']);
  });

  it('sign-in data known unavailable is not incomplete; rows no user lookup concerns never make a column incomplete', () => {
    expect(incompleteCsvColumns({ rows: [withUser], enriching: true, signIn: { available: false, reason: 'consent' } })).toEqual([]);
    expect(incompleteCsvColumns({ rows: [sp, notInDirectory], enriching: true, signIn: null })).toEqual([]);
  });
});
