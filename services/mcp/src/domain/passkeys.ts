/**
 * The rules of Centli's own passkey ceremonies (WebAuthn, run by the approvals API with
 * @simplewebauthn/server, the same code in AWS and locally): who may add a passkey, and what a
 * challenge is good for. Pure.
 *
 * - Adding a passkey needs a fresh sign-in: the page's ID token says (`auth_time`) the customer
 *   signed in at most {@link FRESH_SIGN_IN_SECONDS} ago. A passkey is the second factor that moves
 *   money above the MTU; a long-lived session taken from the customer's browser must not be able
 *   to enrol a factor of its own and then approve with it.
 * - A challenge is random, handed out by the API, stored with who it was handed to (the customer)
 *   and what for (a registration, or the step-up of one approval), good for
 *   {@link CHALLENGE_SECONDS} and taken once.
 *
 * @module
 */

/** How recent the sign-in must be that adds a passkey. */
export const FRESH_SIGN_IN_SECONDS = 300;

/** How long a challenge waits for the authenticator's answer (WebAuthn's own timeout is the same). */
export const CHALLENGE_SECONDS = 120;

/** A clock a little ahead of ours is not a sign-in from the future. */
const CLOCK_SKEW_SECONDS = 5;

/** What a challenge was handed out for: a new passkey of the customer, or the step-up of one approval. */
export type ChallengePurpose = { kind: 'registration' } | { kind: 'approval'; approvalId: string };

/**
 * What keeps a token's sign-in from adding a passkey, or undefined when it is fresh enough: its
 * `auth_time` (epoch seconds, as OpenID Connect and Cognito's ID tokens carry it) at most
 * FRESH_SIGN_IN_SECONDS before `now`. A token that does not say when the customer signed in (the
 * local stack's demo tokens) is never fresh.
 */
export function staleSignInProblem(authTime: unknown, now: Date): string | undefined {
  if (typeof authTime !== 'number' || !Number.isInteger(authTime)) return 'the token does not say when the customer signed in';
  const seconds = Math.floor(now.getTime() / 1000);
  if (authTime > seconds + CLOCK_SKEW_SECONDS) return 'the sign-in is in the future';
  if (seconds - authTime > FRESH_SIGN_IN_SECONDS) return 'the sign-in is too old to add a passkey';
  return undefined;
}

/**
 * The challenge a WebAuthn response answers, as the browser wrote it into `clientDataJSON`
 * (base64url of a JSON object); undefined when the response is not shaped like one. The library
 * checks it again against the stored challenge: this only finds which stored one to take.
 */
export function challengeOf(response: unknown): string | undefined {
  const clientData = (response as { response?: { clientDataJSON?: unknown } } | null | undefined)?.response?.clientDataJSON;
  if (typeof clientData !== 'string' || clientData.length > 4096) return undefined;
  try {
    const challenge = (JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(challenge) ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/** The id of the credential a WebAuthn response names (base64url), or undefined. */
export function credentialIdOf(response: unknown): string | undefined {
  const id = (response as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{16,1366}$/.test(id) ? id : undefined;
}
