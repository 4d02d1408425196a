import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

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
