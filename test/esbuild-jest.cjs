// Jest transform through esbuild: TypeScript 7 has no JS API and ts-jest refuses it, so tests are
// compiled by esbuild (types are checked separately by `npm run typecheck`, pinned to TS 5.9).
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    // Icon files are bundled as text by the build: the same here.
    if (filename.endsWith('.svg')) return { code: `module.exports = ${JSON.stringify(source)};` };
    const loader = filename.endsWith('.tsx') ? 'tsx' : filename.endsWith('.ts') ? 'ts' : 'js';
    const out = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
    return { code: out.code };
  },
};
