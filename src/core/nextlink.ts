// Which URLs may carry the admin's Graph token: only the cloud's own Graph root, under /v1.0/.
// Used on every @odata.nextLink before it is followed, and again on every request the client sends.

export type NextLinkCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Accepts `link` only when it is an https URL on exactly the Graph root's host (default port, no user
 * info) with a path under /v1.0/. The accepted URL is returned exactly as given (Graph's paging tokens are
 * opaque: we never re-encode them).
 *
 * The string must also START with the root's `https://host/` literally: two URL parsers (the browser's and
 * the Graph client's own, which cuts the host at the first "/") then agree on the host, so tricks such as
 * `https://graph.microsoft.com@evil.example/` or `https://evil.example\@graph.microsoft.com/` are refused.
 */
export function checkNextLink(link: unknown, graphRoot: string): NextLinkCheck {
  if (typeof link !== 'string' || link === '') return { ok: false, reason: 'the next-page link is not a URL' };
  let root: URL;
  try {
    root = new URL(graphRoot);
  } catch {
    return { ok: false, reason: `the Graph root ${graphRoot} is not a URL` };
  }
  const shown = link.length > 200 ? `${link.slice(0, 200)}…` : link;
  // Control characters and edge spaces are stripped by one URL parser and kept by another.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(link) || link.trim() !== link) {
    return { ok: false, reason: `the next-page link ${JSON.stringify(shown)} contains characters a URL may not` };
  }
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, reason: `the next-page link ${JSON.stringify(shown)} is not a URL` };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, reason: `the next-page link uses ${url.protocol.replace(/:$/, '')}, not https: not followed` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'the next-page link carries user credentials: not followed' };
  }
  if (url.hostname !== root.hostname || url.port !== '') {
    return {
      ok: false,
      reason: `the next-page link points to ${url.host}, not ${root.host}: not followed (the token is never sent there)`,
    };
  }
  const prefix = `https://${root.hostname}/`;
  if (link.slice(0, prefix.length).toLowerCase() !== prefix) {
    return { ok: false, reason: `the next-page link does not begin with ${prefix}: not followed` };
  }
  // URL() has already resolved dot segments ("/v1.0/../beta" → "/beta"), so this is the path really asked for.
  if (!url.pathname.startsWith('/v1.0/')) {
    return { ok: false, reason: `the next-page link leaves Graph v1.0 (${url.pathname}): not followed` };
  }
  return { ok: true, url: link };
}
