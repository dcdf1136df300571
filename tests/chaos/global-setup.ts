/**
 * The chaos suite's stack: the integration suite's (tests/integration/global-setup.ts), started
 * in chaos mode with the seed in CENTLI_CHAOS (20261126 unless set), so a failure reproduces
 * with `CENTLI_CHAOS=<seed> npm run test:chaos`.
 */
import globalSetup from '../integration/global-setup';

export const DEFAULT_SEED = '20261126';

export default async function chaosSetup(): Promise<void> {
  process.env.CENTLI_CHAOS ??= DEFAULT_SEED;
  await globalSetup();
}
