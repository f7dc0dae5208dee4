// Mozilla's add-on linter (web-ext lint, the checks addons.mozilla.org runs on upload) over dist/firefox.
//   node build/lint-firefox.mjs            lint dist/firefox, building it first if it is missing
//   node build/lint-firefox.mjs --build    rebuild first (so the lint never judges a stale dist)
//   node build/lint-firefox.mjs --source-dir DIR   lint another unpacked Firefox build (no build step)
// Exits 1 on any linter error, and on any warning not listed in KNOWN_WARNINGS below: the linter rates eval,
// document.write and unsafe innerHTML only as warnings, so a gate on errors alone would let them through.
// Works offline: web-ext's Node API runs the bundled addons-linter and never checks for updates (its CLI does).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import webExt from 'web-ext';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirArg = process.argv.indexOf('--source-dir');
const customDir = dirArg > 0 ? process.argv[dirArg + 1] : undefined;
const sourceDir = customDir ? path.resolve(customDir) : path.join(root, 'dist', 'firefox');

/**
 * Warnings understood and accepted, each for one `file` and at most `count` times there (so a second innerHTML
 * in panel.js is still NEW). Adding one is a reviewed decision.
 */
const PREACT_INNERHTML =
  "Preact's renderer (bundled) assigns innerHTML only for a dangerouslySetInnerHTML prop, which ESLint forbids " +
  'everywhere in src/ (build/eslint.config.mjs), so the path is never taken.';
const KNOWN_WARNINGS = [
  { code: 'UNSAFE_VAR_ASSIGNMENT', file: 'panel.js', count: 1, why: PREACT_INNERHTML },
  { code: 'UNSAFE_VAR_ASSIGNMENT', file: 'options.js', count: 1, why: PREACT_INNERHTML },
];

/** The reason a warning is accepted, or null when it is new (also once its known entry is used up). */
function acceptor() {
  const used = new Map();
  return (message) => {
    const hit = KNOWN_WARNINGS.find((k) => k.code === message.code && k.file === message.file);
    if (!hit) return null;
    const n = (used.get(hit) ?? 0) + 1;
    used.set(hit, n);
    return n <= hit.count ? hit.why : null;
  };
}

function ensureBuild() {
  if (customDir) return;
  const missing = !fs.existsSync(path.join(sourceDir, 'manifest.json'));
  if (!missing && !process.argv.includes('--build')) return;
  console.log(missing ? 'dist/firefox is missing: building it first' : 'building dist/ first');
  const run = spawnSync(process.execPath, [path.join(root, 'build', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error('build failed: nothing to lint');
    process.exit(run.status ?? 1);
  }
}

function where(m) {
  if (!m.file) return '';
  return ` ${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}`;
}

async function main() {
  ensureBuild();
  const started = Date.now();
  const result = await webExt.cmd.lint(
    // output 'none': we print our own summary below. Not self-hosted: AMO's checks are the stricter set.
    { sourceDir, output: 'none', selfHosted: false, warningsAsErrors: false, boring: true, pretty: false },
    { shouldExitProgram: false },
  );
  const { errors = [], warnings = [], notices = [] } = result ?? {};

  for (const m of errors) console.log(`ERROR   ${m.code}${where(m)}: ${m.message}`);
  let newWarnings = 0;
  const knownReason = acceptor();
  for (const m of warnings) {
    const why = knownReason(m);
    if (!why) newWarnings++;
    console.log(`WARNING ${m.code}${where(m)}: ${m.message}`);
    console.log(why ? `        known: ${why}` : `        NEW: ${String(m.description ?? '').replace(/\s+/g, ' ').trim()}`);
  }
  for (const m of notices) console.log(`NOTICE  ${m.code}${where(m)}: ${m.message}`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `web-ext lint ${customDir ? sourceDir : path.relative(root, sourceDir)}: ${errors.length} error(s), ${warnings.length} warning(s) ` +
      `(${newWarnings} not known), ${notices.length} notice(s) in ${seconds} s`,
  );
  if (!result) {
    console.error('web-ext lint returned no result');
    process.exit(1);
  }
  if (newWarnings > 0) console.error('new linter warning(s): fix them, or accept each in KNOWN_WARNINGS with the reason');
  process.exit(errors.length > 0 || newWarnings > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
