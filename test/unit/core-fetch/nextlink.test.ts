import { checkNextLink } from '../../../src/core/nextlink';

const ROOT = 'https://graph.microsoft.com/';

describe('checkNextLink', () => {
  test('a Graph v1.0 link is accepted and returned unchanged', () => {
    const link = "https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/assignments?$filter=accessPackage%2fid+eq+'a'&$skiptoken=X%3D%3D";
    expect(checkNextLink(link, ROOT)).toEqual({ ok: true, url: link });
  });

  test.each([
    ['another host', 'https://evil.example/v1.0/users?$skiptoken=1', /evil\.example/],
    ['a look-alike host', 'https://graph.microsoft.com.evil.example/v1.0/users', /not graph\.microsoft\.com/],
    ['user info hiding the host', 'https://graph.microsoft.com@evil.example/v1.0/users', /credentials|evil/],
    ['user info before the real host', 'https://user:pw@graph.microsoft.com/v1.0/users', /credentials/],
    ['backslash trick', 'https://evil.example\\@graph.microsoft.com/v1.0/users', /./],
    ['plain http', 'http://graph.microsoft.com/v1.0/users', /https/],
    ['a port', 'https://graph.microsoft.com:8443/v1.0/users', /8443/],
    ['beta', 'https://graph.microsoft.com/beta/users', /v1\.0/],
    ['dot segments out of v1.0', 'https://graph.microsoft.com/v1.0/../beta/users', /v1\.0/],
    ['encoded dot segments', 'https://graph.microsoft.com/v1.0/%2e%2e/beta/users', /v1\.0/],
    ['another cloud', 'https://graph.microsoft.us/v1.0/users', /graph\.microsoft\.us/],
    ['a relative link', '/v1.0/users', /not a URL/],
    ['javascript', 'javascript:alert(1)', /./],
    ['a control character', 'https://graph.microsoft.com/v1.0/users\n?x=1', /characters/],
  ])('refuses %s', (_name, link, reason) => {
    const r = checkNextLink(link, ROOT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  test('refuses what is not a string', () => {
    for (const v of [undefined, null, 42, {}, ['https://graph.microsoft.com/v1.0/x']]) expect(checkNextLink(v, ROOT).ok).toBe(false);
  });

  test('follows the cloud it is given', () => {
    expect(checkNextLink('https://dod-graph.microsoft.us/v1.0/users', 'https://dod-graph.microsoft.us/').ok).toBe(true);
    expect(checkNextLink('https://graph.microsoft.com/v1.0/users', 'https://dod-graph.microsoft.us/').ok).toBe(false);
  });

  test('the reason says the token is not sent to a foreign host', () => {
    const r = checkNextLink('https://evil.example/v1.0/x', ROOT);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('token is never sent') });
  });
});
