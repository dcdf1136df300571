/**
 * Step-up: the second authentication factor an operation above the customer's MTU needs (CNBV's
 * monto transaccional del usuario). The factor is the customer's passkey, which the approvals API
 * checks itself on the approval page (services/mcp/src/app/passkeys.ts) and records on the
 * approval as `second_factor_at`; the services that move money check that moment is recent. The
 * model never sees the factor: it lives between the customer's browser and the API. Pure.
 */

/**
 * How old a second factor may be when the money moves: an operation above the customer's MTU
 * runs only with a passkey step-up of the last ten minutes (the approval's five, and time to run).
 */
export const SECOND_FACTOR_MAX_AGE_SECONDS = 600;

/** A clock a little ahead of ours is not a factor from the future. */
const CLOCK_SKEW_SECONDS = 60;

/** Whether `secondFactorAt` (ISO 8601) is a second factor still fresh at `now`. */
export function hasFreshSecondFactor(secondFactorAt: string | undefined, now: Date): boolean {
  if (secondFactorAt === undefined) return false;
  const at = Date.parse(secondFactorAt);
  if (Number.isNaN(at)) return false;
  const age = (now.getTime() - at) / 1000;
  return age <= SECOND_FACTOR_MAX_AGE_SECONDS && age >= -CLOCK_SKEW_SECONDS;
}

/** Whether an amount (minor units) needs a second factor under the customer's MTU; none known, none needed here (the service holds it). */
export function needsStepUp(amount: number, mtu: number | undefined): boolean {
  return mtu !== undefined && amount > mtu;
}
