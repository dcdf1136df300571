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
