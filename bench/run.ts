/** `npm run bench`: every benchmark in this folder; exits non-zero when one misses its target. */
import * as money from './money.bench';
import * as registry from './registry.bench';
import * as validation from './validation.bench';

const results = [validation.run(), registry.run(), money.run()];
if (results.includes(false)) process.exitCode = 1;
