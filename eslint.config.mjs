import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'lib/generated/**',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
    'bench-results/**',
    'next-env.d.ts',
  ]),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The pure domain core: no database, no clock, no environment, no Next.js.
    files: ['lib/ledger/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', 'pg', 'ioredis', 'next', 'next/*', '@prisma/*'],
              message: 'lib/ledger is the pure core: no I/O.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Time is an argument in the domain: take `now` as a parameter.',
        },
        { object: 'process', property: 'env', message: 'The domain reads no configuration.' },
        { object: 'Math', property: 'random', message: 'The domain is deterministic.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is an argument in the domain: take `now` as a parameter.',
        },
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: 'Money is bigint minor units; parse amounts with lib/ledger/money.',
        },
      ],
    },
  },
  {
    // Historical imports bypass the live clock; only seeding, the benchmark and tests may use them.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/import/**'],
              message: 'The import path is for seeding and migration scripts only.',
            },
          ],
        },
      ],
    },
  },
]);
