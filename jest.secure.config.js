/**
 * `npm run test:secure`: the core flows on the secure profile of the stack, where every service
 * enforces its own TLS and authentication. The specs are test/secure/*.secure.ts.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/test/secure/*.secure.ts'],
  globalSetup: '<rootDir>/test/support/secure-global-setup.ts',
  setupFiles: [...base.setupFiles, '<rootDir>/test/support/secure-env.ts'],
  testTimeout: 300000,
};
