import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const FACADE = 'Import the core from model/index.ts (the facade), not from its folders.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'release/**',
      'assets/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering: model/ is pure TypeScript shared by the CLI, the worker and the tests; it never
    // reaches up into the hosts, the UI, the CLI or the benchmarks (its tests may use the stress
    // harness of bench/).
    files: ['model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'tone'],
          patterns: ['**/main/**', '**/renderer/**', '**/cli/**'],
        },
      ],
    },
  },
  {
    files: ['model/**/*.ts'],
    ignores: ['model/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'tone'],
          patterns: ['**/main/**', '**/renderer/**', '**/cli/**', '**/bench/**'],
        },
      ],
    },
  },
  {
    // model/common/ is the part of the core that may run anywhere, the page included: pure
    // TypeScript, no Node built-ins, nothing of the rest of the core (its tests may use Node).
    files: ['model/common/**/*.ts'],
    ignores: ['model/common/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'tone', ...builtinModules],
          patterns: ['node:*', '../*', '../**'],
        },
      ],
    },
  },
  {
    // The facade: cli/, bench/, scripts/ and main/ reach the core only through model/index.ts.
    // main/shared/ is left out: it runs in the page, where the facade (tfjs, node:*) cannot go, so it
    // names the core's browser-safe modules, as the renderer does.
    files: ['cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'main/**/*.ts'],
    ignores: ['main/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+model/(?!index\\.js$)', message: FACADE }] },
      ],
    },
  },
  {
    // The host never depends on benchmark code (its tests may use the stress harness of bench/).
    files: ['main/**/*.ts'],
    ignores: ['main/shared/**', 'main/**/*.test.ts', 'main/**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+model/(?!index\\.js$)', message: FACADE },
            { group: ['**/bench/**'], message: 'The host must not depend on benchmark code.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and fixtures (and scripts/test-scale.ts, a test run by npm run test:scale) may also use
    // the core's test fixtures (*.fixture.ts): test-only files, so not in the shipped facade.
    files: ['{cli,bench,scripts,main}/**/*.{test,fixture}.ts', 'scripts/test-scale.ts'],
    ignores: ['main/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(\\.\\./)+model/(?!index\\.js$|.*\\.fixture\\.js$)', message: FACADE }],
        },
      ],
    },
  },
  {
    // The importer fuzz measures the importer's memory high-water mark per case: its worker loads
    // only the MIDI part of the core (the facade brings tfjs: about 160 MiB RSS instead of 80).
    files: ['bench/stress-fuzz-child.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(\\.\\./)+model/(?!index\\.js$|midi/index\\.js$)', message: FACADE }],
        },
      ],
    },
  },
  {
    // The renderer is a web page: it talks to the host through main/shared (the API types and the
    // wire codec) and may use only the browser-safe part of the core, model/common/.
    files: ['renderer/**/*.ts'],
    ignores: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            '**/main/**/*.js',
            '!**/main/shared/api.js',
            '!**/main/shared/wire.js',
            '!**/main/shared/shortcuts.js',
            '**/cli/**',
            '**/bench/**',
            '**/model/**/*.js',
            '!**/model/common/**',
          ],
        },
      ],
    },
  },
);
