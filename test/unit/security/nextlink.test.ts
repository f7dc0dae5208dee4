// The admin's token goes only to the cloud's Graph root under /v1.0/. Properties over URLs built from the
// pieces attackers combine (user info, backslashes, look-alike hosts, ports, dot segments, control
// characters), checked against the two URL parsers involved, and against the Graph client itself: a refused
// URL is never fetched and never costs a token.
import fc from 'fast-check';
import { CLOUDS, CLOUD_IDS } from '../../../src/core/clouds';
import { checkNextLink } from '../../../src/core/nextlink';
import { createGraph, GraphError } from '../../../src/graph/client';

const piece = fc.constantFrom(
  'https://', 'http://', 'HTTPS://', '//', 'graph.microsoft.com', 'GRAPH.microsoft.com', 'graph.microsoft.us', 'evil.example',
  'graph.microsoft.com.evil.example', '@', ':', ':443', ':8443', '/', '\\', '.', '..', '%2e%2e', '%2F', '/v1.0/', 'v1.0', '/beta/',
  'users', '?', '#', '&', '$skiptoken=abc', 'user:pw', ' ', '\t', '\n', '\u0000', '%00', 'é', '。',
);
/** Mostly well-begun links (so acceptance is exercised), sometimes any sequence of pieces. */
const candidate = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((ps) => `https://graph.microsoft.com/v1.0/${ps.join('')}`),
  fc.array(piece, { maxLength: 8 }).map((ps) => `https://graph.microsoft.com${ps.join('')}`),
  fc.array(piece, { maxLength: 10 }).map((ps) => ps.join('')),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe('checkNextLink: accepted means the Graph root, whichever parser reads it', () => {
  for (const cloud of CLOUD_IDS) {
    const root = CLOUDS[cloud].graphRoot;
    const host = new URL(root).hostname;
    it(`${cloud}: every accepted link is https on ${host}, default port, no user info, under /v1.0/`, () => {
      fc.assert(
        fc.property(candidate.map((s) => s.replace('graph.microsoft.com', host)), (link) => {
          const r = checkNextLink(link, root);
          if (!r.ok) {
            expect(r.reason).not.toBe('');
            return;
          }
          expect(r.url).toBe(link); // never rewritten
          const u = new URL(link);
          expect(u.protocol).toBe('https:');
          expect(u.hostname).toBe(host);
          expect(u.port).toBe('');
          expect(u.username + u.password).toBe('');
          expect(u.pathname.startsWith('/v1.0/')).toBe(true);
          // A naive reader that cuts the authority at the first "/", "?" or "#" sees the same host.
          expect(link.slice('https://'.length).split(/[/?#\\]/)[0].toLowerCase()).toBe(host);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('accepts the links Graph really sends (so the properties above are not vacuous)', () => {
    for (const cloud of CLOUD_IDS) {
      const root = CLOUDS[cloud].graphRoot;
      expect(checkNextLink(`${root}v1.0/identityGovernance/entitlementManagement/assignments?$skiptoken=eyJ9`, root).ok).toBe(true);
    }
  });
});

describe('the Graph client never sends a token anywhere else', () => {
  it('a refused URL is neither fetched nor given a token; an accepted one is', async () => {
    const fetchImpl = jest.fn(async () => new Response('{"value":[]}', { headers: { 'content-type': 'application/json' } }));
    const getToken = jest.fn(async () => 'TOKEN');
    const graph = createGraph({ cloud: 'global', getToken, fetchImpl: fetchImpl as unknown as typeof fetch, sleep: async () => undefined });
    await fc.assert(
      fc.asyncProperty(candidate, async (url) => {
        fetchImpl.mockClear();
        getToken.mockClear();
        const accepted = checkNextLink(url, graph.graphRoot).ok;
        const outcome = await graph.get(url).then(
          () => 'fetched',
          (e: unknown) => (e instanceof GraphError ? e.code : 'other'),
        );
        if (accepted) {
          expect(outcome).toBe('fetched');
          expect(fetchImpl).toHaveBeenCalledTimes(1);
          expect(String((fetchImpl.mock.calls[0] as unknown[])[0])).toBe(url);
        } else {
          // Absolute URLs that fail the check, and relative paths the client resolved under the root.
          if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
            expect(outcome).toBe('RefusedUrl');
            expect(getToken).not.toHaveBeenCalled();
            expect(fetchImpl).not.toHaveBeenCalled();
          }
          for (const call of fetchImpl.mock.calls as unknown[][]) expect(checkNextLink(String(call[0]), graph.graphRoot).ok).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
