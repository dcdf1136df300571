'use strict';
/** Integration tests in jest's usual order, but the leak scan last: it reads what all the others left behind. */
const Sequencer = require('@jest/test-sequencer').default;

class LeakScanLast extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const last = (test) => (test.path.endsWith('leak-scan.test.ts') ? 1 : 0);
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}

module.exports = LeakScanLast;
