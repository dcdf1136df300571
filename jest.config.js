/**
 * Unit tests run in-process with fakes; integration tests talk to one local stack
 * (DynamoDB Local + the local bus) started once by tests/integration/global-setup.ts.
 * @middy/* and jose ship ESM only, so they are transformed like our TypeScript.
 * @type {import('jest').Config}
 */
const transform = { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const moduleNameMapper = {
  '^@centli/kit$': '<rootDir>/lib/kit/index.ts',
  '^@centli/kit/(.*)$': '<rootDir>/lib/kit/$1',
  '^@centli/tools/(.*)$': '<rootDir>/lib/tools/$1',
  '^@centli/schemas$': '<rootDir>/schemas/index.ts',
};
const common = {
  transform,
  moduleNameMapper,
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  testEnvironment: 'node',
};
module.exports = {
  testTimeout: 120000,
  // One worker: integration tests compare whole tables before and after, so none may run beside them.
  maxWorkers: 1,
  // The leak scan reads what every other integration test left behind, so it runs last.
  testSequencer: '<rootDir>/tests/integration/sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'], setupFiles: ['<rootDir>/tests/unit/setup.ts'] },
    {
      ...common,
      displayName: 'integration',
      // The browser tests (tests/e2e) drive the chat page of the same local stack.
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/integration/global-setup.ts',
      globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
    },
  ],
};
