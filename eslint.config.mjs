// Lint runs in `npm test`: layer boundaries (what each project may import) and promises that are
// neither awaited nor handled. Formatting is Prettier's job (eslint-config-prettier turns off the rest).
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.sdo/**', '.tools/**', 'coverage/**', 'test/fixtures/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Tests reach the apps only through their testing entry points.
          allow: ['@sdo/api/testing', '@sdo/worker/testing'],
          depConstraints: [
            // Workflows are deterministic: contracts and @temporalio/workflow only.
            { sourceTag: 'scope:workflows', onlyDependOnLibsWithTags: ['scope:contracts'] },
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:contracts'] },
            { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:contracts'] },
            { sourceTag: 'scope:persistence', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config', 'scope:testing'] },
            { sourceTag: 'scope:pg-kit', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:testing'] },
            { sourceTag: 'scope:data-engine', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:pg-kit', 'scope:testing'] },
            // The upgrade kit vets verification SQL with the data engine's read-only SQL check.
            { sourceTag: 'scope:upgrade-kit', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:pg-kit', 'scope:data-engine', 'scope:testing'] },
            // Service engines: the PostgreSQL toolkit and the data engine below them, never each other.
            { sourceTag: 'scope:org-split', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:pg-kit', 'scope:data-engine', 'scope:testing'] },
            { sourceTag: 'scope:carryover', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:pg-kit', 'scope:data-engine', 'scope:testing'] },
            { sourceTag: 'scope:data-migration', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:pg-kit', 'scope:data-engine', 'scope:testing'] },
            { sourceTag: 'scope:erp-generator', onlyDependOnLibsWithTags: ['scope:testing'] },
            // Activities adapt the libs' engines; they never reach into apps or workflows.
            {
              sourceTag: 'scope:activities',
              onlyDependOnLibsWithTags: [
                'scope:contracts',
                'scope:config',
                'scope:persistence',
                'scope:pg-kit',
                'scope:data-engine',
                'scope:upgrade-kit',
                'scope:org-split',
                'scope:carryover',
                'scope:data-migration',
                'scope:catalog',
                'scope:testing',
              ],
            },
            // Apps compose everything below them, never each other.
            {
              sourceTag: 'scope:worker',
              onlyDependOnLibsWithTags: [
                'scope:activities',
                'scope:contracts',
                'scope:config',
                'scope:persistence',
                'scope:pg-kit',
                'scope:data-engine',
                'scope:upgrade-kit',
                'scope:org-split',
                'scope:carryover',
                'scope:data-migration',
                'scope:catalog',
                'scope:testing',
              ],
            },
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: [
                'scope:contracts',
                'scope:config',
                'scope:persistence',
                'scope:pg-kit',
                'scope:data-engine',
                'scope:upgrade-kit',
                'scope:catalog',
                'scope:testing',
              ],
            },
            // The console talks to the API over HTTP only (its types are generated from /docs-json).
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // Strict mode plus checked indexing make `!` a deliberate, reviewed assertion here.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // DTO fields keep their annotations: emitDecoratorMetadata (and so the OpenAPI schema) reads them.
      '@typescript-eslint/no-inferrable-types': 'off',
    },
  },
  prettier,
];
