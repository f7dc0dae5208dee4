// The redirect URI an app registration needs for each browser (auth.md §7). The browser computes its own with
// identity.getRedirectURL(); the options page and the README also name the OTHER browser's, so an admin can
// register both at once. Both are fixed by ids in manifest.json: Chrome/Edge's by the manifest `key` (the
// unpacked extension id), Firefox's by the gecko id. test/unit/browsers recomputes them from the manifest.

/** Id of the unpacked Chrome/Edge build (first 32 hex digits of SHA-256 of the manifest key, 0-f → a-p). */
export const CHROME_EXTENSION_ID = 'gdpfeilmlaaclpfmpbohpljmphfjchgl';

/** browser_specific_settings.gecko.id: Firefox's add-on id, also after signing on addons.mozilla.org. */
export const GECKO_ID = 'entra-assignments-overlay@assignments-overlay.org';

export type BrowserFamily = 'chrome' | 'firefox';

export const REDIRECT_URIS: Readonly<Record<BrowserFamily, string>> = {
  // Chrome intercepts this host in identity.launchWebAuthFlow; it never needs to resolve.
  chrome: `https://${CHROME_EXTENSION_ID}.chromiumapp.org/`,
  // Firefox: SHA-1 (hex) of the gecko id under extensions.allizom.org.
  firefox: 'https://d7c0f8b55c695a8ec406b678d12ef339035a8ecc.extensions.allizom.org/',
};

export const BROWSER_LABELS: Readonly<Record<BrowserFamily, string>> = {
  chrome: 'Chrome / Edge',
  firefox: 'Firefox',
};
