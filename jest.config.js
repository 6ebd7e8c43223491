// Unit specs live next to the code (src/**/*.spec.ts, channels/**/*.spec.ts) and run under Jest.
// The integration suites in test/ boot the whole NestJS app and run under Node's test runner
// (see test/run-e2e.sh).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/channels'],
  testRegex: '.*\\.spec\\.ts$',
  // marked and jose ship ES modules only: Jest compiles them to CommonJS like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(marked|jose)/)'],
  transform: {
    '^.+/node_modules/(marked|jose)/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      },
    ],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
