// Lints inline code samples with the project's real ESLint config (build/eslint.config.mjs) through ESLint's
// Node API, for test/unit/security/eslint-rules.test.ts. A separate Node process because the config is an ES
// module: ESLint loads it with import(), which jest's module sandbox refuses without --experimental-vm-modules.
//
// stdin:  { "samples": [{ "filePath": "src/panel/__lint_sample_1.tsx", "code": "..." }], "typeAware": false }
// stdout: [{ "filePath": ..., "messages": [{ "ruleId", "message", "line", "fatal" }] }]
//
// Samples do not exist on disk, so the TypeScript project service does not know them: typeAware=false lints
// them without type information (the syntax rules under test need none); typeAware=true gives them the
// repository's tsconfig as their default project, which is what type-aware rules need.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { samples, typeAware } = JSON.parse(fs.readFileSync(0, 'utf8'));

const overrideConfig = typeAware
  ? {
      files: ['src/**/__lint_sample_*'],
      languageOptions: {
        parserOptions: {
          projectService: {
            allowDefaultProject: ['src/*/__lint_sample_*.ts', 'src/*/__lint_sample_*.tsx'],
            defaultProject: 'tsconfig.json',
          },
          tsconfigRootDir: root,
        },
      },
    }
  : tseslint.configs.disableTypeChecked;

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, 'build', 'eslint.config.mjs'),
  overrideConfig,
});

const out = [];
for (const { filePath, code } of samples) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath), warnIgnored: true });
  out.push({
    filePath,
    messages: (result?.messages ?? []).map((m) => ({
      ruleId: m.ruleId,
      message: m.message,
      line: m.line,
      fatal: m.fatal === true,
    })),
  });
}
// Exit once written: the TypeScript project service keeps timers alive for seconds after the last file.
process.stdout.write(JSON.stringify(out), () => process.exit(0));
