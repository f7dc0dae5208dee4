// Derives each browser's manifest from the one manifest.json at the root.

/** Chrome/Edge: service worker background, offscreen broker, fixed `key` for a stable unpacked id. */
export function chromeManifest(base) {
  const m = structuredClone(base);
  delete m.browser_specific_settings;
  return m;
}

/**
 * Firefox: no service worker and no offscreen API in MV3, so the background runs as an event page that hosts
 * MSAL itself; the gecko id fixes the identity redirect URL. `key` is a Chrome-only field, and so is
 * `storage.managed_schema` (Firefox reads policy from policies.json / a native manifest and warns "unexpected
 * property" on the `storage` key at every load; storage.managed itself still works).
 */
export function firefoxManifest(base) {
  const m = structuredClone(base);
  delete m.key;
  delete m.minimum_chrome_version;
  delete m.storage;
  m.background = { scripts: ['background.js'] };
  m.permissions = m.permissions.filter((p) => p !== 'offscreen');
  return m;
}
