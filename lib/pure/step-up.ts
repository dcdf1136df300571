/**
 * Step-up: the second authentication factor an operation above the customer's MTU needs (CNBV's
 * monto transaccional del usuario). The approval page asks the identity provider to sign the
 * customer in again with a passkey, as OpenID Connect Core 1.0 section 3.1.2.1 lets a client ask
 * (`acr_values`, `max_age=0`, a `nonce` naming the approval); the ID token it gets back says so in
 * its `acr` and `auth_time` claims, and carries the nonce. The approvals API accepts an approval
 * that needs a second factor only with such a token: its customer, this acr, this approval's
 * nonce, signed in with the passkey within the last few minutes. The model never sees it: it
 * lives in the customer's browser, between the page and the API. Pure.
 */

/** The Authentication Context Class Reference of a sign-in with a passkey (WebAuthn, user verified). */
export const STEP_UP_ACR = 'urn:centli:acr:passkey';

/** How recent the passkey sign-in must be when the customer approves. */
export const STEP_UP_MAX_AGE_SECONDS = 300;

/** The nonce the page sends for an approval's step-up, and that its ID token must carry. */
export const stepUpNonce = (approvalId: string): string => `step-up.${approvalId}`;

/**
 * How old a second factor may be when the money moves: an operation above the customer's MTU
 * runs only with a passkey sign-in of the last ten minutes (the approval's five, and time to run).
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
