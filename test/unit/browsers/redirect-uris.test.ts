// The redirect URIs the options page and the README tell admins to register must be the ones the browsers
// compute. They are recomputed here from manifest.json the way each browser derives them (auth.md §7,
// browser-testing.md §4), so a new manifest key or gecko id fails this test instead of breaking sign-in.
// The e2e suites check each one against the live identity.getRedirectURL() of its browser.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CHROME_EXTENSION_ID, GECKO_ID, REDIRECT_URIS } from '../../../src/core/redirect-uris';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as {
  key: string;
  browser_specific_settings: { gecko: { id: string } };
};

/** Chromium: SHA-256 of the DER public key, first 32 hex digits, each mapped 0-f → a-p. */
function chromiumId(keyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((d) => String.fromCharCode('a'.charCodeAt(0) + parseInt(d, 16))).join('');
}

describe('redirect URIs to register', () => {
  it('Chrome/Edge: the unpacked id derived from the manifest key, under chromiumapp.org', () => {
    expect(CHROME_EXTENSION_ID).toBe(chromiumId(manifest.key));
    expect(REDIRECT_URIS.chrome).toBe(`https://${chromiumId(manifest.key)}.chromiumapp.org/`);
  });

  it('Firefox: SHA-1 of the gecko id under extensions.allizom.org', () => {
    expect(GECKO_ID).toBe(manifest.browser_specific_settings.gecko.id);
    const sha1 = createHash('sha1').update(manifest.browser_specific_settings.gecko.id).digest('hex');
    expect(REDIRECT_URIS.firefox).toBe(`https://${sha1}.extensions.allizom.org/`);
  });

  it('the README names both, exactly', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(REDIRECT_URIS.chrome);
    expect(readme).toContain(REDIRECT_URIS.firefox);
  });
});
