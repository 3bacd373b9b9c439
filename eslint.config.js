// ESLint 10 flat config: typescript-eslint strict + type-aware rules for the whole project.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.foundation/', 'service-template/', 'examples/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'exit',
          message: 'Exit codes come from lib/report/exit-codes; only scripts/ may exit.',
        },
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through lib/config; only adapters may touch process.env.',
        },
      ],
    },
  },
  {
    files: ['lib/adapters/**', 'lib/config/**', 'scripts/**', 'tests/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // node:assert narrows types, so an optional chain written before an assertion looks "unnecessary".
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
