const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const DEPLOY = `${path.sep}test${path.sep}deploy${path.sep}`;

/**
 * Jest's own order, with the specs of test/deploy last: they need Helm and the Compose checker,
 * Go builds that `.ci/run` starts in the background on a cold cache, which then finish behind the
 * rest of the suite instead of holding a spec up.
 */
class DeployLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const last = (t) => (t.path.includes(DEPLOY) ? 1 : 0);
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}

module.exports = DeployLastSequencer;
