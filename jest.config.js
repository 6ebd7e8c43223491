// Unit specs live next to the code (src/, channels/ and the agent app's web/) and run under Jest.
// The integration suites in test/ boot the whole NestJS app and run under Node's test runner
// (see test/run-e2e.sh): NestJS 12 ships ES modules, which Node 20 loads natively but Jest 29 not.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.spec.json', diagnostics: false }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/channels', '<rootDir>/web'],
  testRegex: '.*\\.spec\\.ts$',
  // marked and jose ship ES modules only: Jest compiles them to CommonJS like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(marked|jose)/)'],
  transform: {
    '^.+\\.(ts|js)$': tsJest,
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
