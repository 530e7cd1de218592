// @ts-check
import tseslint from 'typescript-eslint';

const workflowBoundary = {
  paths: [],
  patterns: [
    {
      // ARCHITECTURE.md rule 4: workflow code imports only @temporalio/workflow and its siblings;
      // anything else (activities, services, node:*) may be imported for its types alone.
      regex: '^(?!@temporalio/workflow$|\\.{1,2}/)',
      allowTypeImports: true,
      message: 'Workflow code is deterministic: import only @temporalio/workflow and sibling files (use `import type` for anything else).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/gen/**', '**/.turbo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in config.ts (parseConfig), once, at start.' },
      ],
    },
  },
  {
    files: ['**/config.ts', '**/config/**/*.ts', '**/*.test.ts', 'scripts/**', 'bench/**', 'e2e/**', 'packages/testing/**', '*.js', '*.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
  { files: ['scripts/**', 'bench/**', 'deploy/**'], rules: { 'no-console': 'off' } },
  // End-to-end tests read JSON bodies and assert on them with expect(); typing every body would restate OpenAPI.
  { files: ['e2e/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['workflows/src/**/*.ts'],
    ignores: ['workflows/src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowBoundary] },
  },
);
