/**
 * Unit tests run in-process with fakes; integration tests talk to one local stack
 * (DynamoDB Local + the local bus) started once by tests/integration/global-setup.ts, and so do
 * the browser tests (e2e).
 * @middy/* and jose ship ESM only, so they are transformed like our TypeScript.
 * @type {import('jest').Config}
 */
const transform = { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const moduleNameMapper = {
  '^@centli/kit/(.*)$': '<rootDir>/lib/kit/$1',
  '^@centli/pure/(.*)$': '<rootDir>/lib/pure/$1',
  '^@centli/tools/(.*)$': '<rootDir>/lib/tools/$1',
  '^@centli/schemas$': '<rootDir>/schemas/index.ts',
  '^@centli/schemas/(.*)$': '<rootDir>/schemas/$1',
};
const common = {
  transform,
  moduleNameMapper,
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  testEnvironment: 'node',
};
/**
 * Projects that run only when named: the policy tests read the templates `npm run package` writes
 * (.serverless/), so they run after it (`jest --selectProjects policy`, as scripts/package-all.sh
 * does); the chaos suite starts a stack of its own in chaos mode (`npm run test:chaos`).
 */
function selects(name, argv) {
  const selected = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg.startsWith('--selectProjects=')) selected.push(...arg.slice('--selectProjects='.length).split(','));
    else if (arg === '--selectProjects') for (let next = index + 1; next < argv.length && !argv[next].startsWith('-'); next++) selected.push(argv[next]);
  }
  return selected.includes(name);
}
/**
 * The local stack the integration and browser tests run against. Jest runs each distinct global
 * setup (and teardown) module once per run, whichever projects name it, so with both projects
 * selected (plain `jest`) one stack serves both, and each alone starts it too.
 */
const localStack = {
  globalSetup: '<rootDir>/tests/integration/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
};
const policy = { ...common, displayName: 'policy', testMatch: ['<rootDir>/tests/policy/**/*.test.ts'] };
const chaos = {
  ...common,
  displayName: 'chaos',
  testMatch: ['<rootDir>/tests/chaos/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/chaos/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
};

module.exports = {
  testTimeout: 120000,
  // One worker: integration tests compare whole tables before and after, so none may run beside them.
  maxWorkers: 1,
  // The leak scan reads what every other integration test left behind, so it runs last.
  testSequencer: '<rootDir>/tests/integration/sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'], setupFiles: ['<rootDir>/tests/unit/setup.ts'] },
    { ...common, ...localStack, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/tests/integration/fresh-minute.ts'] },
    // The browser tests: the chat page in Chromium, against the same local stack (`jest --selectProjects e2e`).
    { ...common, ...localStack, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/tests/integration/fresh-minute.ts'] },
    ...(selects('policy', process.argv) ? [policy] : []),
    ...(selects('chaos', process.argv) ? [chaos] : []),
  ],
};
