// `npm run package`: store-ready zips of the built extensions (run after build/build.mjs).
//   dist/entra-assignments-overlay-<version>-chrome.zip   Chrome Web Store / Edge Add-ons
//   dist/entra-assignments-overlay-<version>-firefox.zip  addons.mozilla.org
// web-ext's zipper (already a dev dependency for `web-ext lint`) packs each folder as it is.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webExt from 'web-ext';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));

for (const browser of ['chrome', 'firefox']) {
  const sourceDir = path.join(dist, browser);
  if (!fs.existsSync(path.join(sourceDir, 'manifest.json'))) throw new Error(`${sourceDir} is missing: run npm run build`);
  const filename = `entra-assignments-overlay-${version}-${browser}.zip`;
  // The store assigns its own id: the fixed `key` (which pins the unpacked id) does not go into the upload.
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), `eao-package-${browser}-`));
  fs.cpSync(sourceDir, staging, { recursive: true });
  const manifestPath = path.join(staging, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  delete manifest.key;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  await webExt.cmd.build(
    { sourceDir: staging, artifactsDir: dist, filename, overwriteDest: true, ignoreFiles: ['*.map'] },
    { shouldExitProgram: false },
  );
  fs.rmSync(staging, { recursive: true, force: true });
  console.log(`dist/${filename}`);
}
