/**
 * `npm run test:secure`: the core flows on the secure profile of the stack, where every service
 * enforces its own TLS and authentication. test/secure/*.secure.ts prove each service refuses what
 * it should and DF says why it cannot reach one; the integration specs listed below run the core
 * flows unchanged (they reach the engines the way DF's config says).
 */
const base = require('./jest.config');
const { specGroup } = require('./test/support/spec-groups');

const CORE_FLOWS = [
  'connect-lifecycle',
  'schemas',
  'topics',
  'transform-sqla2a',
  'transform-kinds',
  'stream-back',
  'status-sync',
  'startup-sync',
];

/** The specs that stop a service the others share (test/support/spec-groups.js). */
const EXCLUSIVE = [
  'test/secure/health-recovery.secure.ts', // stops Kafka Connect
  'test/integration/status-sync.test.ts', // stops Kafka Connect
];

module.exports = {
  ...base,
  ...specGroup(
    ['**/test/secure/*.secure.ts', ...CORE_FLOWS.map((name) => `**/test/integration/${name}.test.ts`)],
    EXCLUSIVE,
  ),
  globalSetup: '<rootDir>/test/support/secure-global-setup.ts',
  setupFiles: [...base.setupFiles, '<rootDir>/test/support/secure-env.ts'],
  testTimeout: 300000,
};
