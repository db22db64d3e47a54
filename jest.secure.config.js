/**
 * `npm run test:secure`: the core flows on the secure profile of the stack, where every service
 * enforces its own TLS and authentication. test/secure/*.secure.ts prove each service refuses what
 * it should and DF says why it cannot reach one; the integration specs listed below run the core
 * flows unchanged (they reach the engines the way DF's config says).
 */
const base = require('./jest.config');

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

module.exports = {
  ...base,
  testMatch: ['**/test/secure/*.secure.ts', ...CORE_FLOWS.map((name) => `**/test/integration/${name}.test.ts`)],
  globalSetup: '<rootDir>/test/support/secure-global-setup.ts',
  setupFiles: [...base.setupFiles, '<rootDir>/test/support/secure-env.ts'],
  testTimeout: 300000,
};
