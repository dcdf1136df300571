/**
 * The chaos suite's stack: the integration suite's (tests/integration/global-setup.ts), started
 * in chaos mode with the seed in CENTLI_CHAOS (20261126 unless set), so a failure reproduces
 * with `CENTLI_CHAOS=<seed> npm run test:chaos`, and per-customer rate limits out of the way.
 */
import globalSetup from '../integration/global-setup';

export const DEFAULT_SEED = '20261126';

export default async function chaosSetup(): Promise<void> {
  process.env.CENTLI_CHAOS ??= DEFAULT_SEED;
  // The suite checks money and stock under faults, with a few customers doing hundreds of things a
  // minute; the per-customer limits (tests/integration/rate-limits.test.ts checks them) would only
  // turn its traffic into refusals.
  process.env.CENTLI_RATE_READS_PER_MINUTE ??= '100000';
  process.env.CENTLI_RATE_WRITES_PER_MINUTE ??= '100000';
  await globalSetup();
}
