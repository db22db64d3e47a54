const { specGroup } = require('./test/support/spec-groups');

/** Specs that stop, restart or flood a service the others share (test/support/spec-groups.js). */
const EXCLUSIVE = [
  'test/integration/temporal-restart.test.ts', // restarts Temporal
  'test/integration/status-sync.test.ts', // stops Kafka Connect
  'test/integration/connect-rebalance-storm.test.ts', // keeps Kafka Connect's worker group rebalancing
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  ...specGroup(['**/*.test.ts'], EXCLUSIVE),
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  setupFiles: ['<rootDir>/test/support/log-level.ts', '<rootDir>/test/support/dev-mode.ts'],
  testTimeout: 120000,
  verbose: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
