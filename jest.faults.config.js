/**
 * `npm run test:faults`: the fault scenarios (test/faults) and the API fuzzing (test/fuzz) on the
 * real stack. Each scenario runs minutes (a service kept down for 60 s, twenty worker kills), so
 * the budget per test is ten minutes instead of two.
 */
const base = require('./jest.config');
const { specGroup } = require('./test/support/spec-groups');

/** The scenarios that stop or restart a shared service; the fuzzing and DF's own process kills share the stack. */
const EXCLUSIVE = [
  'test/faults/connect-outage.faults.ts',
  'test/faults/store-outage.faults.ts',
  'test/faults/store-driver-stuck.faults.ts',
  'test/faults/temporal-restart.faults.ts',
];

module.exports = {
  ...base,
  ...specGroup(['**/test/faults/*.faults.ts', '**/test/fuzz/*.fuzz.ts'], EXCLUSIVE),
  testTimeout: 600000,
};
