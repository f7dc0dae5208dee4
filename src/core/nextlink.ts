// Which URLs may carry the admin's Graph token: only the cloud's own Graph root, under /v1.0/.
// Used on every @odata.nextLink before it is followed, and again on every request the client sends.
import { t } from './i18n';

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
  if (typeof link !== 'string' || link === '') return { ok: false, reason: t('core_nextlink_not_url') };
  let root: URL;
  try {
    root = new URL(graphRoot);
  } catch {
    return { ok: false, reason: t('core_nextlink_root_not_url', { root: graphRoot }) };
  }
  const shown = link.length > 200 ? `${link.slice(0, 200)}…` : link;
  // Control characters and edge spaces are stripped by one URL parser and kept by another.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(link) || link.trim() !== link) {
    return { ok: false, reason: t('core_nextlink_bad_characters', { link: JSON.stringify(shown) }) };
  }
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, reason: t('core_nextlink_link_not_url', { link: JSON.stringify(shown) }) };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, reason: t('core_nextlink_not_https', { protocol: url.protocol.replace(/:$/, '') }) };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: t('core_nextlink_credentials') };
  }
  if (url.hostname !== root.hostname || url.port !== '') {
    return {
      ok: false,
      reason: t('core_nextlink_other_host', { host: url.host, root: root.host }),
    };
  }
  const prefix = `https://${root.hostname}/`;
  if (link.slice(0, prefix.length).toLowerCase() !== prefix) {
    return { ok: false, reason: t('core_nextlink_prefix', { prefix }) };
  }
  // URL() has already resolved dot segments ("/v1.0/../beta" → "/beta"), so this is the path really asked for.
  if (!url.pathname.startsWith('/v1.0/')) {
    return { ok: false, reason: t('core_nextlink_not_v1', { path: url.pathname }) };
  }
  return { ok: true, url: link };
}
