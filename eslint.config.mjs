// @ts-check
// The rules of the house a reviewer should never have to repeat: who may import whom (the room map
// in docs/architecture.md) and promises nobody awaits. Formatting is Prettier's, not ESLint's.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Node built-ins, refused where code must run in the workflow sandbox or stay pure. */
const noBuiltins = (why) => NODE_BUILTINS.map((name) => ({ name, message: why }));

/** One `no-restricted-imports` rule for a room. */
const room = (files, { paths = [], patterns = [], globals = [] }, ignores = []) => ({
  files,
  ignores,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
    ...(globals.length ? { 'no-restricted-globals': ['error', ...globals] } : {}),
  },
});

const NOT_API = 'Nothing imports src/api but the process entry points (docs/architecture.md).';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', '.df/**', 'coverage/**', 'src/console/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        // The probe files are the room rules' own specification (test/unit/rooms.test.ts lints them from stdin).
        projectService: {
          allowDefaultProject: ['src/domain/lint-probe*.ts', 'src/protocol/lint-probe*.ts', 'workflows/lint-probe*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  room(['src/domain/**/*.ts'], {
    paths: noBuiltins('src/domain is pure: no Node built-ins (workflows replay it in the sandbox).'),
    patterns: [{ regex: '^\\.\\./', message: 'src/domain imports nothing of the project outside src/domain.' }],
    globals: [{ name: 'process', message: 'src/domain is pure: what it needs from the environment is passed in.' }],
  }),
  room(['src/protocol/**/*.ts'], {
    paths: noBuiltins('src/protocol is shared with the workflow sandbox: no Node built-ins.'),
    patterns: [{ regex: '^\\.\\./(?!domain/)', message: 'src/protocol imports only src/domain.' }],
  }),
  room(['workflows/**/*.ts'], {
    paths: noBuiltins('Workflows run in the replay sandbox: no Node built-ins.'),
    patterns: [
      {
        regex: '^\\.\\./src/(?!domain/|protocol/)',
        message: 'Workflows import only src/domain, src/protocol and activity types.',
      },
      { regex: '^\\.\\./activities', allowTypeImports: true, message: 'Workflows import activities as types only.' },
      { regex: '^@temporalio/(?!workflow$|common$)', message: 'Workflows use @temporalio/workflow only.' },
    ],
  }),
  room(['src/ras/**/*.ts', 'src/repository/**/*.ts'], {
    patterns: [{ regex: '^\\.\\./(?!domain/)', message: 'src/ras and src/repository import only src/domain.' }],
  }),
  room(['activities/**/*.ts'], {
    patterns: [
      { regex: '^\\.\\./src/api/', message: NOT_API },
      { regex: '^\\.\\./workflows', message: 'Activities never import workflow code.' },
    ],
  }),
  room(
    ['src/*.ts', 'src/temporal/**/*.ts', 'src/zip/**/*.ts'],
    { patterns: [{ regex: '^\\.{1,2}/api/', message: NOT_API }] },
    ['src/api-server.ts'],
  ),
  prettier,
);
