/**
 * `npm run test:faults`: the fault scenarios (test/faults) and the API fuzzing (test/fuzz) on the
 * real stack. Each scenario runs minutes (a service kept down for 60 s, twenty worker kills), so
 * the budget per test is ten minutes instead of two.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/test/faults/*.faults.ts', '**/test/fuzz/*.fuzz.ts'],
  testTimeout: 600000,
};
