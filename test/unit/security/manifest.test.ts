// Pins what the extension may touch. Every permission, host, content-script match and the CSP is written out
// here in full: a change to any of them fails this test until someone updates it on purpose, in the same
// review that justifies the new reach. Checked for the root manifest.json and for both manifests that
// build/manifest.mjs derives from it (the ones that ship in dist/chrome and dist/firefox).
import fs from 'node:fs';
import path from 'node:path';
import { chromeManifest as deriveChrome, firefoxManifest as deriveFirefox } from '../../../build/manifest.mjs';
import { ALL_PORTAL_HOSTS, CLOUDS, CLOUD_IDS } from '../../../src/core/clouds';

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  content_scripts?: { matches: string[] }[];
  content_security_policy?: Record<string, string>;
  background?: Record<string, unknown>;
  browser_specific_settings?: { gecko?: { id?: string } };
};

const root = path.resolve(__dirname, '../../..');
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Manifest;
// The same functions build/build.mjs writes dist/chrome and dist/firefox with.
const chromeManifest = deriveChrome(rootManifest) as Manifest;
const firefoxManifest = deriveFirefox(rootManifest) as Manifest;

const all: [string, Manifest][] = [
  ['manifest.json', rootManifest],
  ['chromeManifest()', chromeManifest],
  ['firefoxManifest()', firefoxManifest],
];

// ---------------------------------------------------------------- the pinned values

const PERMISSIONS_CHROME = [
  'storage', // settings, saved filters per package, and the action log (chrome.storage.local / managed)
  'identity', // identity.launchWebAuthFlow: the OAuth code flow with PKCE against Entra ID
  'scripting', // inject the panel bundle (files only) into the portal frame, only on access-package routes
  'offscreen', // Chrome only: MSAL needs a window (sessionStorage, crypto.subtle) that a service worker lacks
];
// Firefox has no offscreen API: its event page hosts MSAL itself.
const PERMISSIONS_FIREFOX = ['storage', 'identity', 'scripting'];

const HOST_PERMISSIONS = [
  // The portals of the four clouds: the content script runs there and the panel is injected there.
  'https://entra.microsoft.com/*',
  'https://portal.azure.com/*',
  'https://entra.microsoft.us/*',
  'https://portal.azure.us/*',
  'https://entra.microsoft.cn/*',
  'https://portal.azure.cn/*',
  // Microsoft Graph roots of the four clouds (global, US Gov, US Gov DoD, China): every data call.
  'https://graph.microsoft.com/*',
  'https://graph.microsoft.us/*',
  'https://dod-graph.microsoft.us/*',
  'https://microsoftgraph.chinacloudapi.cn/*',
  // Deliberately no login.* host: sign-in runs in identity.launchWebAuthFlow's window, and the token POST
  // must stay a CORS request carrying the extension's Origin, which Entra requires to redeem a SPA code;
  // with host permission it may be sent without one (shared/reference/auth.md §2, §6).
];

const CONTENT_SCRIPTS = [
  {
    // The portals only; the script itself decides per route whether to ask for the panel.
    matches: [
      'https://entra.microsoft.com/*',
      'https://portal.azure.com/*',
      'https://entra.microsoft.us/*',
      'https://portal.azure.us/*',
      'https://entra.microsoft.cn/*',
      'https://portal.azure.cn/*',
    ],
    js: ['content.js'],
    // At document_start the hash already names the route: the panel bundle is fetched and compiled while the
    // page parses instead of after it (the panel waits for <body> to mount).
    run_at: 'document_start',
    // Top frame only: the blades render in the top document, and sub-frames may be other origins' content.
    all_frames: false,
  },
];

// Only the extension's own files may run in its pages; no plugins; no <base> redirection of relative URLs.
const CONTENT_SECURITY_POLICY = { extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'" };

// Top-level keys: a new one (web_accessible_resources, externally_connectable, optional_permissions, sandbox,
// declarative_net_request, ...) widens what the extension exposes or may reach and must be reviewed here.
const COMMON_KEYS = [
  'action',
  'background',
  'content_scripts',
  'content_security_policy',
  'default_locale',
  'description',
  'host_permissions',
  'icons',
  'manifest_version',
  'name',
  'options_ui',
  'permissions',
  'short_name',
  'version',
];
const KEYS = {
  root: [...COMMON_KEYS, 'browser_specific_settings', 'key', 'minimum_chrome_version', 'storage'],
  chrome: [...COMMON_KEYS, 'key', 'minimum_chrome_version', 'storage'],
  firefox: [...COMMON_KEYS, 'browser_specific_settings'],
};

// ---------------------------------------------------------------- tests

describe.each(all)('%s', (_name, manifest) => {
  test('is Manifest V3', () => {
    expect(manifest.manifest_version).toBe(3);
  });

  test('host permissions are exactly the portals and the Graph roots of the four clouds', () => {
    expect(manifest.host_permissions).toEqual(HOST_PERMISSIONS);
  });

  test('the content script runs on the portals only, top frame only', () => {
    expect(manifest.content_scripts).toEqual(CONTENT_SCRIPTS);
  });

  test('no optional permissions, no web-accessible resources, not externally connectable', () => {
    for (const key of ['optional_permissions', 'optional_host_permissions', 'web_accessible_resources', 'externally_connectable']) {
      expect(manifest).not.toHaveProperty([key]);
    }
  });

  test('the content security policy is pinned', () => {
    expect(manifest.content_security_policy).toEqual(CONTENT_SECURITY_POLICY);
  });

  test('the CSP allows no eval, no inline script and no remote script source', () => {
    const csp = Object.values(manifest.content_security_policy ?? {}).join(';');
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    const directives = csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0] !== '');
    const scriptDirectives = ['default-src', 'script-src', 'script-src-elem', 'script-src-attr', 'worker-src'];
    const scriptSources = directives.filter(([name]) => scriptDirectives.includes(name)).flatMap(([, ...sources]) => sources);
    expect(scriptSources.length).toBeGreaterThan(0);
    // 'self' is the extension's own origin; anything else (a host, a scheme such as https: or data:, *, a nonce
    // or hash) would let code from somewhere other than the reviewed package run.
    for (const source of scriptSources) expect(["'self'", "'none'"]).toContain(source);
  });

  test('no host permission or match reaches a sign-in host, all URLs, or a wildcard subdomain', () => {
    const patterns = [...(manifest.host_permissions ?? []), ...(manifest.content_scripts ?? []).flatMap((c) => c.matches)];
    for (const p of patterns) {
      expect(p).toMatch(/^https:\/\/[a-z0-9.-]+\/\*$/);
      expect(p).not.toMatch(/\/\/login\.|<all_urls>|\*\./);
    }
    const authorityHosts = CLOUD_IDS.map((c) => CLOUDS[c].authorityHost);
    for (const host of authorityHosts) expect(patterns).not.toContain(`https://${host}/*`);
  });
});

describe('pinned values agree with the cloud table (src/core/clouds.ts)', () => {
  test('host permissions = every portal host + every Graph root', () => {
    const expected = [...ALL_PORTAL_HOSTS.map((h) => `https://${h}/*`), ...CLOUD_IDS.map((c) => `${CLOUDS[c].graphRoot}*`)];
    expect([...new Set(HOST_PERMISSIONS)].sort()).toEqual([...new Set(expected)].sort());
  });

  test('content script matches = every portal host', () => {
    expect([...CONTENT_SCRIPTS[0].matches].sort()).toEqual(ALL_PORTAL_HOSTS.map((h) => `https://${h}/*`).sort());
  });
});

describe('permissions', () => {
  test('root manifest and Chrome: storage, identity, scripting, offscreen', () => {
    expect(rootManifest.permissions).toEqual(PERMISSIONS_CHROME);
    expect(chromeManifest.permissions).toEqual(PERMISSIONS_CHROME);
  });

  test('Firefox: the same without offscreen', () => {
    expect(firefoxManifest.permissions).toEqual(PERMISSIONS_FIREFOX);
  });
});

describe('top-level keys', () => {
  test.each([
    ['manifest.json', rootManifest, KEYS.root],
    ['chromeManifest()', chromeManifest, KEYS.chrome],
    ['firefoxManifest()', firefoxManifest, KEYS.firefox],
  ] as const)('%s has exactly the reviewed keys', (_name, manifest, keys) => {
    expect(Object.keys(manifest).sort()).toEqual([...keys].sort());
  });
});

describe('per-browser shape', () => {
  test('Chrome keeps the fixed key (stable extension id = the redirect URI) and a service worker', () => {
    expect(typeof chromeManifest.key).toBe('string');
    expect(chromeManifest.key).toBe(rootManifest.key);
    expect(chromeManifest.background).toEqual({ service_worker: 'background.js', type: 'module' });
  });

  test('Firefox carries no Chrome-only key, runs an event page, and keeps its fixed gecko id', () => {
    for (const key of ['key', 'minimum_chrome_version', 'storage']) expect(firefoxManifest).not.toHaveProperty([key]);
    expect(firefoxManifest.background).toEqual({ scripts: ['background.js'] });
    // The gecko id fixes identity.getRedirectURL(), which is registered in the app registration.
    expect(firefoxManifest.browser_specific_settings?.gecko?.id).toBe('entra-assignments-overlay@assignments-overlay.org');
  });
});

describe('localised name', () => {
  test('name and description come from _locales (English is the default locale)', () => {
    expect(rootManifest.default_locale).toBe('en');
    expect(rootManifest.name).toBe('__MSG_extName__');
    expect(rootManifest.description).toBe('__MSG_extDescription__');
  });
});
