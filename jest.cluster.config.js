/**
 * `npm run test:faults -- --profile cluster`: the fault scenarios of the cluster profile
 * (test/cluster), each killing one process of a clustered engine or of DF during a run of
 * operations sent to DF's two API processes.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/test/cluster/*.cluster.ts'],
  globalSetup: '<rootDir>/test/support/cluster-global-setup.ts',
  setupFiles: [...base.setupFiles, '<rootDir>/test/support/cluster-env.ts'],
  testTimeout: 600000,
  // A kafkajs client that saw its broker killed can keep sockets to the other brokers open after
  // disconnect(), which would hold jest up after the last spec; the specs close what they open.
  forceExit: true,
};
