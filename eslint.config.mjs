// Lint: typescript-eslint's recommended rules, plus the house boundaries: domain code and the
// pure cores import no AWS SDK, no adapters and no Lambda plumbing, by folder (domain-driven-hexagon's
// no-domain-to-infra-deps), and tests are never focused or skipped in main.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.ci/.venv/', '**/.serverless/', '**/.esbuild/', '.centli/', 'coverage/', 'schemas/**/generated.ts', 'schemas/validators/*.js', 'schemas/validators/all.ts', 'schemas/validators/for/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Purity by folder: domain code, the pure core (lib/pure) and the tool-call core (lib/tools, but
    // its adapters) import only each other, schemas/ and libraries that do no I/O. The Lambda and AWS
    // adapters (lib/kit, lib/tools/adapters, a service's adapters, handlers and app) are out of reach.
    files: ['services/*/src/domain/**/*.ts', 'lib/pure/**/*.ts', 'lib/tools/**/*.ts'],
    ignores: ['lib/tools/adapters/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@middy/*', '@aws-lambda-powertools/*', 'aws-lambda', '@modelcontextprotocol/*'], message: 'Pure code does no I/O: AWS and Lambda calls belong in adapters.' },
            { group: ['@centli/kit', '@centli/kit/*', '**/lib/kit/**', '@centli/tools/adapters/*', '**/adapters/**', '**/handlers/**', '**/app/**'], message: 'Pure code imports only the pure core (@centli/pure), the tool-call core (@centli/tools) and @centli/schemas.' },
          ],
        },
      ],
    },
  },
  {
    // osls loads its plugins and variable files with require(), jest its sequencer: they are CommonJS.
    files: ['lib/infra/**/*.js', 'services/*/contact-flows/*.js', 'tests/integration/sequencer.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The chat page (web/chat) runs in the browser as plain ES modules, with no build step.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        WebSocket: 'readonly',
        AbortController: 'readonly',
        CSS: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        requestAnimationFrame: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'No focused tests in main.' },
        { object: 'it', property: 'skip', message: 'No skipped tests in main.' },
        { object: 'describe', property: 'only', message: 'No focused tests in main.' },
        { object: 'describe', property: 'skip', message: 'No skipped tests in main.' },
        { object: 'test', property: 'only', message: 'No focused tests in main.' },
        { object: 'test', property: 'skip', message: 'No skipped tests in main.' },
      ],
    },
  },
);
