/**
 * Which of a jest config's specs run in this invocation. Specs that stop, restart or flood a
 * service every other spec shares are exclusive: they run after the rest, alone
 * (DF_TEST_GROUP=exclusive), while the rest share the stack two at a time (DF_TEST_GROUP=shared);
 * scripts/run-spec-groups.sh runs both. Each other spec keeps its own database, task queue and
 * names, and most of a spec's time is spent waiting on an engine, so two at once nearly halve a
 * run on two cores. Without DF_TEST_GROUP (a spec run by hand), every spec matches.
 *
 * @param {string[]} testMatch the config's globs
 * @param {string[]} exclusive paths of the exclusive specs, from the repository's root
 */
function specGroup(testMatch, exclusive) {
  const group = process.env.DF_TEST_GROUP;
  if (group === 'exclusive') return { testMatch: exclusive.map((spec) => `**/${spec}`) };
  if (group === 'shared') return { testMatch, testPathIgnorePatterns: ['/node_modules/', ...exclusive.map(asPattern)] };
  return { testMatch };
}

/** A path as a testPathIgnorePatterns regular expression that matches only that path. */
function asPattern(spec) {
  return `/${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

module.exports = { specGroup };
