// ESLint flat config: `npx eslint --config build/eslint.config.mjs src test build` (npm run lint).
// It lives in build/ so the repository's top level stays small. With --config, ESLint 9 resolves the globs below
// against the working directory: run it from the repository root (npm run lint does).
//
// What it guards, beyond ordinary correctness:
//  - src/: no way to turn a string into markup or code. Text from Microsoft Graph (display names, emails, policy
//    names) is attacker-influenced — any guest can name themselves `<img onerror=...>` — and this code runs with an
//    admin's Graph token inside the Entra portal. So markup sinks, eval-like calls, remote or computed imports and
//    string injection through executeScript are errors, not style.
//  - src/core/: pure logic, no browser or network global (the architecture's rule: it runs in jest without a DOM).
//  - src/: promises are never dropped silently (an unhandled rejection in a bulk removal is a lost error).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import noUnsanitized from 'eslint-plugin-no-unsanitized';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SRC = ['src/**/*.{ts,tsx,js,mjs,cjs,jsx}'];
const SRC_TS = ['src/**/*.{ts,tsx}'];
const CORE = ['src/core/**'];
const NODE_SCRIPTS = ['build/**/*.{js,mjs,cjs}', 'test/**/*.{js,mjs,cjs}'];
const TESTS = ['test/**'];

/** Markup sinks (any access: reading them is never needed in this code base either) and document.write. */
const restrictedProperties = [
  ...['innerHTML', 'outerHTML'].map((property) => ({
    property,
    message: `${property} parses markup: render Graph text as text (textContent, or a Preact child).`,
  })),
  {
    property: 'insertAdjacentHTML',
    message: 'insertAdjacentHTML parses markup: use insertAdjacentText or build nodes.',
  },
  { property: 'srcdoc', message: 'srcdoc parses markup into a frame.' },
  { property: 'createContextualFragment', message: 'createContextualFragment parses markup.' },
  ...['write', 'writeln'].map((property) => ({
    object: 'document',
    property,
    message: `document.${property} parses markup.`,
  })),
];

/** Eval-like constructs and code loading that no-restricted-properties cannot express. */
const restrictedSyntax = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'dangerouslySetInnerHTML parses markup: render Graph text as a Preact child.',
  },
  {
    // h('div', { dangerouslySetInnerHTML: ... }) or a props object built by hand.
    selector: "Property[key.name='dangerouslySetInnerHTML'], Property[key.value='dangerouslySetInnerHTML']",
    message: 'dangerouslySetInnerHTML parses markup: render Graph text as a Preact child.',
  },
  {
    selector: "CallExpression[callee.name='eval'], CallExpression[callee.property.name='eval']",
    message: 'eval runs a string as code (and the extension CSP forbids it).',
  },
  {
    selector: "NewExpression[callee.name='Function'], CallExpression[callee.name='Function']",
    message: 'Function() compiles a string as code.',
  },
  {
    // A string first argument to a timer is compiled like eval; a function is required.
    selector:
      "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/][arguments.0.type=/^(Literal|TemplateLiteral|BinaryExpression)$/], " +
      "CallExpression[callee.property.name=/^(setTimeout|setInterval|setImmediate)$/][arguments.0.type=/^(Literal|TemplateLiteral|BinaryExpression)$/]",
    message: 'A string timer callback is compiled like eval: pass a function.',
  },
  {
    selector: "ImportExpression[source.type!='Literal']",
    message: 'import() of a computed specifier can load code nobody reviewed: import a literal, bundled module.',
  },
  {
    // Any URL scheme (https:, http:, data:, blob:, chrome-extension:) or protocol-relative //host.
    selector: "ImportExpression[source.value=/^([a-zA-Z][a-zA-Z0-9+.-]*:|\\/\\/)/]",
    message: 'import() of a URL loads remote code: MV3 forbids it; bundle the module.',
  },
  {
    selector: "CallExpression[callee.name='importScripts'], CallExpression[callee.property.name='importScripts']",
    message: 'importScripts loads code at run time: bundle it instead.',
  },
  {
    // Injected code must be a file shipped in the package: a `func` or `code` string is code the store
    // reviewer never saw, and in the portal's page it runs with the page's privileges.
    selector:
      "CallExpression[callee.property.name='executeScript'] > ObjectExpression > Property[key.name=/^(func|code)$/], " +
      "CallExpression[callee.property.name='executeScript'] > ObjectExpression > Property[key.value=/^(func|code)$/]",
    message: 'executeScript must inject `files` only, never `func` or `code`.',
  },
  {
    // A spread or a details object built elsewhere could carry `func`/`code` past the rule above.
    selector: "CallExpression[callee.property.name='executeScript'] > ObjectExpression > SpreadElement",
    message: 'executeScript: write the injection object out literally (files only), no spread.',
  },
  {
    selector:
      "CallExpression[callee.property.name='executeScript']:not(:has(> ObjectExpression.arguments))",
    message: 'executeScript: pass the injection as an object literal with `files`, so it can be checked.',
  },
];

/** Globals that would tie src/core to a browser or the network. */
const browserAndNetworkGlobals = [
  'chrome',
  'browser',
  'fetch',
  'window',
  'document',
  'XMLHttpRequest',
  'indexedDB',
  'localStorage',
  'sessionStorage',
  'navigator',
  'location',
  'WebSocket',
  'EventSource',
  'caches',
  'importScripts',
].map((name) => ({ name, message: `src/core is pure logic: ${name} belongs in a context shell (background, panel, ...).` }));

/** Node globals for build scripts and .cjs/.mjs test helpers (kept by hand: `globals` is not a direct dependency). */
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'AbortController',
    'AbortSignal',
    'structuredClone',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'performance',
    'fetch',
    'globalThis',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default defineConfig([
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.min.js', 'web-ext-artifacts/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed parameters document an unused position (callbacks, interface shapes).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },

  // ---- src/: everything the extension ships.
  {
    files: SRC,
    plugins: { 'no-unsanitized': noUnsanitized },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-unsanitized/method': 'error',
      'no-unsanitized/property': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
      'no-restricted-properties': ['error', ...restrictedProperties],
      'no-restricted-syntax': ['error', ...restrictedSyntax],
    },
  },
  // Type-aware rules, for src/ only: they need the TypeScript program, which is the slow part of linting.
  {
    files: SRC_TS,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // The type-aware version also catches a string *variable* passed to setTimeout / setInterval.
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    files: CORE,
    rules: {
      'no-restricted-globals': ['error', ...browserAndNetworkGlobals],
      // `globalThis.fetch` / `self.chrome` would walk around the rule above.
      'no-restricted-properties': [
        'error',
        ...restrictedProperties,
        ...['globalThis', 'self'].flatMap((object) =>
          browserAndNetworkGlobals.map(({ name }) => ({ object, property: name, message: `src/core is pure logic: no ${name}.` })),
        ),
      ],
      // Nor may it import a browser, auth or network library, or a context shell.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '../../*', '!../core/*'], message: 'src/core imports only src/core.' },
            {
              group: ['webextension-polyfill', '@azure/*', '@microsoft/*', 'idb-keyval', 'preact', 'preact/*'],
              message: 'src/core is pure logic: no browser, auth, network or UI library.',
            },
          ],
        },
      ],
    },
  },

  // A capability folder inside src/core (e.g. src/core/review/) reaches the rest of src/core as ../../core/*.
  {
    files: ['src/core/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*', '!../../core', '!../../core/*'], message: 'src/core imports only src/core.' },
            {
              group: ['webextension-polyfill', '@azure/*', '@microsoft/*', 'idb-keyval', 'preact', 'preact/*'],
              message: 'src/core is pure logic: no browser, auth, network or UI library.',
            },
          ],
        },
      ],
    },
  },

  // ---- build scripts and test helpers written in plain JavaScript run in Node.
  {
    files: NODE_SCRIPTS,
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // ---- tests: relaxed. They build fakes with loose shapes and assert on non-null results.
  {
    files: TESTS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      // Tests feed and look for control characters on purpose (CSV guards, hostile display names).
      'no-control-regex': 'off',
    },
  },
]);
