// Builds the unpacked extensions: dist/chrome (MV3 service worker + offscreen auth broker) and dist/firefox
// (MV3 event page running the broker itself), both from the one manifest.json at the root.
//   node build/build.mjs          minified production build (what the tests drive)
//   node build/build.mjs --dev    unminified with source maps
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firefoxManifest, chromeManifest } from './manifest.mjs';
import { collectMessages, writeLocales } from './messages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
// --out DIR: another output folder (the benchmark profiles an unminified copy without touching dist/).
const outArg = process.argv.indexOf('--out');
const dist = outArg > 0 && process.argv[outArg + 1] ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'dist');

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  target: ['chrome121', 'firefox121'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  // Fluent System icons are imported as text: only the icons used are bundled (src/panel/icons).
  loader: { '.svg': 'text' },
  define: {
    'process.env.NODE_ENV': dev ? '"development"' : '"production"',
    // The worker hands the panel its catalogue (src/background/catalogue.ts): it asks the i18n API for these keys.
    __MESSAGE_KEYS__: JSON.stringify(Object.keys(collectMessages(root))),
  },
  logLevel: 'warning',
  metafile: true,
};

/**
 * The panel's theme (src/panel/theme/tokens.ts) is computed from @fluentui/tokens here, once per build: the
 * bundle carries the resulting CSS (about 3 KB) instead of the token package (39 KB of panel.js) and the theme
 * objects it would build while the panel's bundle evaluates on the portal page.
 */
async function themeCssPlugin() {
  const source = path.join(root, 'src/panel/theme/tokens.ts');
  const built = await esbuild.build({ entryPoints: [source], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { THEME_CSS } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
  if (typeof THEME_CSS !== 'string' || !THEME_CSS.includes('--bg')) throw new Error('src/panel/theme/tokens.ts gave no THEME_CSS');
  return {
    name: 'theme-css',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]panel[\\/]theme[\\/]tokens\.ts$/ }, () => ({ contents: `export const THEME_CSS = ${JSON.stringify(THEME_CSS)};\n`, loader: 'js' }));
    },
  };
}
common.plugins = [await themeCssPlugin()];

/** Entry points per browser: [source, output file, format]. */
const entries = {
  chrome: [
    ['src/background/chrome.ts', 'background.js', 'esm'],
    ['src/offscreen/offscreen.ts', 'offscreen.js', 'iife'],
  ],
  firefox: [['src/background/firefox.ts', 'background.js', 'iife']],
};
const shared = [
  ['src/content/content.ts', 'content.js', 'iife'],
  ['src/panel/index.tsx', 'panel.js', 'iife'],
  ['src/options/options.tsx', 'options.js', 'iife'],
];
const pages = { chrome: ['offscreen.html', 'options.html'], firefox: ['options.html'] };

async function buildBrowser(browser) {
  const out = path.join(dist, browser);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const sizes = {};
  for (const [src, file, format] of [...entries[browser], ...shared]) {
    const result = await esbuild.build({ ...common, entryPoints: [path.join(root, src)], outfile: path.join(out, file), format });
    sizes[file] = Object.values(result.metafile.outputs).reduce((n, o) => (o.bytes > n ? o.bytes : n), 0);
  }
  for (const page of pages[browser]) {
    const dir = page.startsWith('offscreen') ? 'src/offscreen' : 'src/options';
    fs.copyFileSync(path.join(root, dir, page), path.join(out, page));
  }
  fs.cpSync(path.join(root, 'assets'), out, { recursive: true });
  writeLocales(root, out);
  const base = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));
  const manifest = browser === 'chrome' ? chromeManifest(base) : firefoxManifest(base);
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  assertNoRemoteOrEvalCode(out);
  return sizes;
}

/** The build fails if any bundle could evaluate strings as code or load code from the network. */
function assertNoRemoteOrEvalCode(dir) {
  const banned = [/\beval\s*\(/, /\bnew\s+Function\s*\(/, /importScripts\s*\(\s*["'`]https?:/, /\bimport\s*\(\s*["'`]https?:/];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const re of banned) {
      if (re.test(text)) throw new Error(`${path.join(path.basename(dir), file)} contains ${re}: no eval, no remote code`);
    }
  }
}

const report = {};
for (const browser of ['chrome', 'firefox']) report[browser] = await buildBrowser(browser);
const fmt = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`built dist/chrome and dist/firefox (${dev ? 'development' : 'production'})`);
for (const [file, bytes] of Object.entries(report.chrome)) console.log(`  ${file.padEnd(16)} ${fmt(bytes)}`);
