// Pins the Graph permissions the extension asks for, and when. A change here is a change of reach: it must be
// made on purpose, with the README and the options page saying the same.
import fs from 'node:fs';
import path from 'node:path';
import { ACCESS_CHECK_SCOPES, READ_SCOPES, WRITE_SCOPES } from '../../../src/core/clouds';
import { TokenManager } from '../../../src/background/tokens';
import type { BrokerRequest, BrokerResponse } from '../../../src/messages';

const GRAPH = 'https://graph.microsoft.com/';

describe('Graph permissions', () => {
  it('reads with these delegated scopes at sign-in', () => {
    expect(READ_SCOPES).toEqual(['EntitlementManagement.Read.All', 'User.Read.All', 'AuditLog.Read.All']);
  });
  it('writes only with EntitlementManagement.ReadWrite.All', () => {
    expect(WRITE_SCOPES).toEqual(['EntitlementManagement.ReadWrite.All']);
  });
  it('the access check reads group members and owners, and app role assignments, with the least privileged scopes', () => {
    // GroupMember.Read.All: groups/{id}/members and /owners; Application.Read.All: servicePrincipals/{id}/appRoleAssignedTo.
    expect(ACCESS_CHECK_SCOPES).toEqual(['GroupMember.Read.All', 'Application.Read.All']);
  });

  it('asks for the access check scopes only when a check asks for them', async () => {
    const asked: string[][] = [];
    const broker = {
      send: async (req: BrokerRequest): Promise<BrokerResponse> => {
        if (req.type === 'silent-token') {
          asked.push(req.scopes);
          return { ok: true, accessToken: `t${asked.length}`, expiresOn: Date.now() + 3_600_000, username: 'admin@contoso.com' };
        }
        return { ok: false, errorCode: 'x', message: 'x' };
      },
    };
    const tokens = new TokenManager({
      broker,
      launchWebAuthFlow: async () => '',
      redirectUri: 'https://x.chromiumapp.org/',
      settings: async () => ({ clientId: 'c', tenantId: 'organizations', cloud: 'global', staleAfterDays: 90 }),
      onAuth: () => undefined,
    });
    await tokens.token();
    await tokens.token();
    expect(asked).toEqual([READ_SCOPES.map((s) => GRAPH + s)]);
    await tokens.token({ access: true });
    expect(asked[1]).toEqual([...READ_SCOPES, ...ACCESS_CHECK_SCOPES].map((s) => GRAPH + s));
    // The access token also serves plain reads until it expires.
    await tokens.token();
    expect(asked).toHaveLength(2);
  });

  it('the README and the options page name every scope', () => {
    const root = path.resolve(__dirname, '../../..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const options = fs.readFileSync(path.join(root, 'src/options/options.tsx'), 'utf8');
    for (const s of [...READ_SCOPES, ...WRITE_SCOPES, ...ACCESS_CHECK_SCOPES]) expect(readme).toContain(s);
    expect(options).toContain('ACCESS_CHECK_SCOPES');
  });
});
