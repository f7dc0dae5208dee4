// The lint gate is only worth something if its rules fire. These samples run through the real config
// (build/eslint.config.mjs) and must be reported — each with the rule that names the danger — while the safe
// forms next to them must stay clean, so the rules are neither dead nor so broad that they get switched off.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const child = path.join(__dirname, 'eslint-child.mjs');

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
  fatal: boolean;
}
interface Sample {
  name: string;
  filePath: string;
  code: string;
}

function lintSamples(samples: Sample[], typeAware: boolean): Map<string, LintMessage[]> {
  const stdout = execFileSync(process.execPath, [child], {
    cwd: root,
    input: JSON.stringify({ samples, typeAware }),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const results = JSON.parse(stdout) as { filePath: string; messages: LintMessage[] }[];
  return new Map(results.map((r) => [r.filePath, r.messages]));
}

let n = 0;
/** A sample in a given folder of src/ (or test/), named so it can never collide with a real file. */
const at = (dir: string, name: string, code: string, ext = 'tsx'): Sample => ({
  name,
  filePath: `${dir}/__lint_sample_${++n}.${ext}`,
  code,
});

// ---- unsafe: each must be reported with (at least) these rules.
const unsafe: [Sample, string[]][] = [
  [at('src/panel', 'innerHTML = Graph text', `export function show(el: HTMLElement, name: string) {\n  el.innerHTML = name;\n}\n`), ['no-restricted-properties', 'no-unsanitized/property']],
  [at('src/panel', 'innerHTML = literal', `export function clear(el: HTMLElement) {\n  el.innerHTML = '';\n}\n`), ['no-restricted-properties']],
  [at('src/panel', "innerHTML via ['innerHTML']", `export function show(el: HTMLElement, name: string) {\n  el['innerHTML'] = name;\n}\n`), ['no-restricted-properties']],
  [at('src/content', 'outerHTML', `export function swap(el: Element, html: string) {\n  el.outerHTML = html;\n}\n`), ['no-restricted-properties', 'no-unsanitized/property']],
  [at('src/panel', 'insertAdjacentHTML', `export function add(el: Element, html: string) {\n  el.insertAdjacentHTML('beforeend', html);\n}\n`), ['no-restricted-properties', 'no-unsanitized/method']],
  [at('src/options', 'document.write', `export function w(html: string) {\n  document.write(html);\n}\n`), ['no-restricted-properties', 'no-unsanitized/method']],
  [at('src/panel', 'dangerouslySetInnerHTML (JSX)', `export const Name = (p: { html: string }) => <span dangerouslySetInnerHTML={{ __html: p.html }} />;\n`), ['no-restricted-syntax']],
  [at('src/panel', 'dangerouslySetInnerHTML (props object)', `import { h } from 'preact';\nexport const name = (html: string) => h('span', { dangerouslySetInnerHTML: { __html: html } });\n`), ['no-restricted-syntax']],
  [at('src/background', 'eval', `export const run = (s: string): unknown => eval(s);\n`), ['no-eval', 'no-restricted-syntax']],
  [at('src/background', 'globalThis.eval', `export const run = (s: string): unknown => globalThis.eval(s);\n`), ['no-restricted-syntax']],
  [at('src/panel', 'new Function', `export const compile = (body: string) => new Function('row', body);\n`), ['no-new-func', 'no-restricted-syntax']],
  [at('src/panel', 'Function() without new', `export const compile = (body: string) => Function('row', body);\n`), ['no-new-func', 'no-restricted-syntax']],
  [at('src/panel', 'setTimeout with a string', `export function later() {\n  setTimeout('alert(1)', 10);\n}\n`), ['no-restricted-syntax']],
  [at('src/panel', 'window.setInterval with a template string', "export function every(code: string) {\n  window.setInterval(`run(${code})`, 10);\n}\n"), ['no-restricted-syntax']],
  [at('src/panel', 'import() of a computed specifier', `export const load = (name: string) => import(name);\n`), ['no-restricted-syntax']],
  [at('src/panel', 'import() of a remote URL', `export const load = () => import('https://cdn.example.com/x.js');\n`), ['no-restricted-syntax']],
  [at('src/background', 'executeScript with func', `export function inject(tabId: number) {\n  return chrome.scripting.executeScript({ target: { tabId }, func: () => document.title });\n}\n`, 'ts'), ['no-restricted-syntax']],
  [at('src/background', 'tabs.executeScript with code', `export function inject(tabId: number) {\n  chrome.tabs.executeScript(tabId, { code: 'document.title' });\n}\n`, 'ts'), ['no-restricted-syntax']],
  [at('src/background', 'executeScript with a details variable', `export function inject(details: chrome.scripting.ScriptInjection<unknown[], unknown>) {\n  return chrome.scripting.executeScript(details);\n}\n`, 'ts'), ['no-restricted-syntax']],
  [at('src/background', 'executeScript with a spread', `export function inject(extra: object) {\n  return browser.scripting.executeScript({ target: { tabId: 1 }, files: ['panel.js'], ...extra });\n}\n`, 'ts'), ['no-restricted-syntax']],
  [at('src/core', 'core: globalThis.fetch', `export const get = (u: string) => globalThis.fetch(u);\n`, 'ts'), ['no-restricted-properties']],
  [at('src/core', 'core: browser library import', `import browser from 'webextension-polyfill';\nexport const id = () => browser.runtime.id;\n`, 'ts'), ['no-restricted-imports']],
  [at('src/core', 'core: import of a context shell', `import { createBroker } from '../auth/msal-broker';\nexport const b = createBroker;\n`, 'ts'), ['no-restricted-imports']],
];

// src/core must not touch any browser or network global, each on its own.
const coreGlobals = ['chrome', 'browser', 'fetch', 'window', 'document', 'XMLHttpRequest', 'indexedDB', 'localStorage'];
const coreSamples = coreGlobals.map((g) => at('src/core', `core: ${g}`, `export const use = () => ${g};\n`, 'ts'));

// ---- safe counterparts: no message at all.
const safe: Sample[] = [
  at('src/panel', 'textContent', `export function show(el: HTMLElement, name: string) {\n  el.textContent = name;\n}\n`),
  at('src/panel', 'Graph text as a Preact child', `export const Name = (p: { name: string }) => <span title={p.name}>{p.name}</span>;\n`),
  at('src/panel', 'timer with a function', `export function later(run: () => void) {\n  setTimeout(run, 10);\n  setInterval(() => run(), 10);\n}\n`),
  at('src/panel', 'import() of a bundled literal', `export const load = () => import('./lazy-part');\n`),
  at('src/background', 'executeScript with files', `export function inject(tabId: number) {\n  return chrome.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: ['panel.js'] });\n}\n`, 'ts'),
  at('src/background', 'fetch outside core', `export const get = (u: string) => fetch(u);\n`, 'ts'),
  at('src/core', 'core: pure logic', `import { CLOUDS } from './clouds';\nexport const roots = () => Object.values(CLOUDS).map((c) => c.graphRoot);\n`, 'ts'),
  // Tests may build DOM fixtures with markup: the sink rules are for shipped code.
  at('test/unit/panel', 'tests may set innerHTML', `document.body.innerHTML = '<div id="x"></div>';\nexport {};\n`, 'ts'),
];

const all = [...unsafe.map(([s]) => s), ...coreSamples, ...safe];
let results: Map<string, LintMessage[]>;

beforeAll(() => {
  results = lintSamples(all, false);
}, 120_000);

const messagesOf = (s: Sample): LintMessage[] => {
  const m = results.get(s.filePath);
  if (!m) throw new Error(`no lint result for ${s.name}`);
  return m;
};

describe('the ESLint config reports every unsafe sink in src/', () => {
  test.each(unsafe.map(([s, rules]) => [s.name, s, rules] as const))('%s', (_name, sample, rules) => {
    const messages = messagesOf(sample);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    const reported = new Set(messages.map((m) => m.ruleId));
    for (const rule of rules) expect(reported).toContain(rule);
  });
});

describe('src/core may not use a browser or network global', () => {
  test.each(coreSamples.map((s, i) => [coreGlobals[i], s] as const))('%s', (global, sample) => {
    const messages = messagesOf(sample);
    expect(messages).toEqual([
      expect.objectContaining({ ruleId: 'no-restricted-globals', message: expect.stringContaining(`'${global}'`) }),
    ]);
  });
});

describe('the safe forms stay clean', () => {
  test.each(safe.map((s) => [s.name, s] as const))('%s', (_name, sample) => {
    expect(messagesOf(sample)).toEqual([]);
  });
});

describe('type-aware rules run on src/', () => {
  test('a dropped promise and a string timer held in a variable are reported', () => {
    const dropped = at('src/background', 'floating promise', `async function save(): Promise<void> {}\nexport function onClick() {\n  save();\n}\n`, 'ts');
    const awaited = at('src/background', 'awaited promise', `async function save(): Promise<void> {}\nexport async function onClick() {\n  await save();\n  void save();\n}\n`, 'ts');
    const timer = at('src/panel', 'string timer variable', `export function later(code: string) {\n  setTimeout(code, 10);\n}\n`, 'ts');
    const typed = lintSamples([dropped, awaited, timer], true);
    expect(typed.get(dropped.filePath)).toEqual([
      expect.objectContaining({ ruleId: '@typescript-eslint/no-floating-promises', line: 3 }),
    ]);
    expect(typed.get(awaited.filePath)).toEqual([]);
    expect(typed.get(timer.filePath)).toEqual([expect.objectContaining({ ruleId: '@typescript-eslint/no-implied-eval', line: 2 })]);
  }, 120_000);
});
