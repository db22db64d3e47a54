/** Tests run in band: workflow and integration tests share one real stack and two cores. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  setupFiles: ['<rootDir>/test/support/log-level.ts', '<rootDir>/test/support/dev-mode.ts'],
  testTimeout: 120000,
  verbose: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
