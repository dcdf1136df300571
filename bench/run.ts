/** `npm run bench`: every benchmark in this folder; exits non-zero when one misses its target. */
import * as money from './money.bench';
import * as validation from './validation.bench';

const results = [validation.run(), money.run()];
if (results.includes(false)) process.exitCode = 1;
