/**
 * Centli's own passkey ceremonies (WebAuthn), run by the approvals API with @simplewebauthn/server:
 * the same code in AWS and in the local stack, credentials and challenges in DynamoDB
 * (../adapters/passkey-store.ts). The identity provider only says who the customer is; whether
 * they hold their passkey is proved here, because a Cognito ID token cannot say how its customer
 * signed in (docs/decisions.md).
 *
 *   POST /passkeys/registration/options  → 200 creation options | 401 fresh_sign_in_required
 *   POST /passkeys/registration          → 200 { registered, credential_id } | 400 | 401 | 409 already_registered
 *   POST /approvals/{id}/passkey/options → 200 request options (the customer's passkeys only)
 *                                          | 404 | 409 no_passkey | 409 decided | 410 expired
 *
 * and the step-up itself: an assertion sent with `POST /approvals/{id}` `{"decision":"approve",
 * "passkey": …}` is checked by {@link PasskeyCeremonies.verifyStepUp} (./approvals.ts).
 *
 * The relying party (its id, the site's domain, and the page's origin) comes from configuration,
 * never from the request.
 */
import { createHash } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { isApprovalId, viewOf, type ApprovalView } from '@centli/tools/approval';
import type { PasskeyStore } from '../adapters/passkey-store';
import { CHALLENGE_SECONDS, challengeOf, credentialIdOf, staleSignInProblem } from '../domain/passkeys';

/** Where the ceremonies happen: the site's domain (the RP ID) and the approval page's origin. */
export interface RelyingParty {
  rpId: string;
  origin: string;
  name: string;
}

/** The relying party the stage configures: CENTLI_PASSKEY_RP_ID and the page's origin, CENTLI_APPROVAL_ORIGIN. */
export function relyingPartyFromEnv(env: NodeJS.ProcessEnv = process.env): RelyingParty {
  const rpId = env.CENTLI_PASSKEY_RP_ID;
  const origin = env.CENTLI_APPROVAL_ORIGIN;
  if (!rpId || !origin) throw new Error('CENTLI_PASSKEY_RP_ID and CENTLI_APPROVAL_ORIGIN must be set: a passkey is bound to the site it was made on');
  return { rpId, origin, name: 'Centli' };
}

/** The signed-in customer, as the page's token names them. */
export interface SignedIn {
  userId: string;
  /** The token's `auth_time`: when the customer last signed in. */
  authTime: unknown;
  /** How the authenticator shows the account (the token's email or name); the user id when none. */
  label?: string;
}

export type PasskeyAnswer =
  | { status: 200; body: PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON | { registered: true; credential_id: string } }
  | { status: 400 | 401 | 404 | 409 | 410; body: { error: 'invalid_request' | 'fresh_sign_in_required' | 'already_registered' | 'not_found' | 'no_passkey' | 'decided' | 'expired'; view?: ApprovalView } };

export interface PasskeyDeps {
  passkeys: Pick<PasskeyStore, 'credentials' | 'credential' | 'add' | 'advance' | 'handOut' | 'take'>;
  approvals: Pick<ApprovalStore, 'get'>;
  rp: RelyingParty;
  /** Why a ceremony was refused, for the logs (never the answer). */
  log?: (message: string, attributes: Record<string, unknown>) => void;
}

/**
 * The WebAuthn user handle of a customer: a hash of their user id, so the authenticator keeps no
 * bank identifier, and one customer always has the same handle on this site.
 */
const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> => new Uint8Array(createHash('sha256').update(`centli:${userId}`).digest());

const transportsOf = (transports: readonly string[] | undefined) => (transports && transports.length > 0 ? { transports: [...transports] as NonNullable<WebAuthnCredential["transports"]> } : {});

export class PasskeyCeremonies {
  constructor(private readonly deps: PasskeyDeps) {}

  /** The options the browser creates a passkey with, for a customer who signed in moments ago. */
  async registrationOptions(customer: SignedIn, now: Date): Promise<PasskeyAnswer> {
    const stale = staleSignInProblem(customer.authTime, now);
    if (stale) return this.refused(401, 'fresh_sign_in_required', stale, customer.userId);
    const existing = await this.deps.passkeys.credentials(customer.userId);
    const label = customer.label ?? customer.userId;
    const options = await generateRegistrationOptions({
      rpName: this.deps.rp.name,
      rpID: this.deps.rp.rpId,
      userName: label,
      userID: userHandleOf(customer.userId),
      userDisplayName: label,
      timeout: CHALLENGE_SECONDS * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credential_id, ...transportsOf(p.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    await this.deps.passkeys.handOut(customer.userId, options.challenge, { kind: 'registration' }, new Date(now.getTime() + CHALLENGE_SECONDS * 1000));
    return { status: 200, body: options };
  }

  /** Checks and keeps the passkey the browser created for the registration challenge this customer was handed. */
  async register(customer: SignedIn, body: unknown, now: Date): Promise<PasskeyAnswer> {
    const stale = staleSignInProblem(customer.authTime, now);
    if (stale) return this.refused(401, 'fresh_sign_in_required', stale, customer.userId);
    const response = (body as { response?: unknown } | null | undefined)?.response;
    const challenge = challengeOf(response);
    if (!challenge) return this.refused(400, 'invalid_request', 'not a WebAuthn registration response', customer.userId);
    // Taken before it is checked: a challenge proves one ceremony, whether or not it passes.
    if (!(await this.deps.passkeys.take(customer.userId, challenge, { kind: 'registration' }, now))) return this.refused(400, 'invalid_request', 'the challenge is not one handed out to this customer, or it was used or expired', customer.userId);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({ response: response as RegistrationResponseJSON, expectedChallenge: challenge, expectedOrigin: this.deps.rp.origin, expectedRPID: this.deps.rp.rpId, requireUserVerification: true });
    } catch (error) {
      return this.refused(400, 'invalid_request', `the registration could not be verified: ${(error as Error).message}`, customer.userId);
    }
    if (!verified.verified) return this.refused(400, 'invalid_request', 'the registration could not be verified', customer.userId);
    const { credential } = verified.registrationInfo;
    const added = await this.deps.passkeys.add({
      user_id: customer.userId,
      credential_id: credential.id,
      public_key: credential.publicKey,
      counter: credential.counter,
      ...(credential.transports && credential.transports.length > 0 ? { transports: [...credential.transports] } : {}),
      created_at: now.toISOString(),
    });
    if (!added) return this.refused(409, 'already_registered', 'this passkey is registered already', customer.userId);
    return { status: 200, body: { registered: true, credential_id: credential.id } };
  }

  /**
   * The options the browser signs the step-up of one approval with: a new challenge, good once,
   * for this customer and this approval, listing only this customer's passkeys.
   */
  async stepUpOptions(userId: string, approvalId: string, now: Date): Promise<PasskeyAnswer> {
    const approval = isApprovalId(approvalId) ? await this.deps.approvals.get(approvalId) : undefined;
    if (!approval || approval.user_id !== userId) return { status: 404, body: { error: 'not_found' } };
    const view = viewOf(approval, now);
    if (view.status === 'expired') return { status: 410, body: { error: 'expired', view } };
    if (view.status !== 'pending') return { status: 409, body: { error: 'decided', view } };
    if (approval.step_up !== true) return this.refused(400, 'invalid_request', 'this approval needs no second factor', userId);
    const passkeys = await this.deps.passkeys.credentials(userId);
    if (passkeys.length === 0) return { status: 409, body: { error: 'no_passkey', view } };
    const options = await generateAuthenticationOptions({
      rpID: this.deps.rp.rpId,
      allowCredentials: passkeys.map((p) => ({ id: p.credential_id, ...transportsOf(p.transports) })),
      userVerification: 'required',
      timeout: CHALLENGE_SECONDS * 1000,
    });
    await this.deps.passkeys.handOut(userId, options.challenge, { kind: 'approval', approvalId }, new Date(now.getTime() + CHALLENGE_SECONDS * 1000));
    return { status: 200, body: options };
  }

  /**
   * Whether `response` is this customer's passkey signing the challenge handed out for this
   * approval: the challenge taken (once, by a conditional write), the credential the customer's,
   * the signature, origin, RP ID and user verification checked by the library, and the signature
   * counter moved on from the value checked. The reason of a refusal goes to the logs only.
   */
  async verifyStepUp(userId: string, approvalId: string, response: unknown, now: Date): Promise<boolean> {
    const challenge = challengeOf(response);
    const credentialId = credentialIdOf(response);
    const refuse = (reason: string) => {
      this.deps.log?.('refused a passkey step-up', { reason, approval_id: approvalId });
      return false;
    };
    if (!challenge || !credentialId) return refuse('not a WebAuthn authentication response');
    if (!(await this.deps.passkeys.take(userId, challenge, { kind: 'approval', approvalId }, now))) return refuse('the challenge is not one handed out to this customer for this approval, or it was used or expired');
    const passkey = await this.deps.passkeys.credential(userId, credentialId);
    if (!passkey) return refuse('the passkey is not one of this customer');
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.deps.rp.origin,
        expectedRPID: this.deps.rp.rpId,
        credential: { id: passkey.credential_id, publicKey: new Uint8Array(passkey.public_key), counter: passkey.counter, ...transportsOf(passkey.transports) },
        requireUserVerification: true,
      });
    } catch (error) {
      return refuse(`the assertion could not be verified: ${(error as Error).message}`);
    }
    if (!verified.verified) return refuse('the assertion could not be verified');
    if (!(await this.deps.passkeys.advance(passkey, verified.authenticationInfo.newCounter, now))) return refuse('the signature counter moved meanwhile');
    return true;
  }

  private refused<S extends 400 | 401 | 409>(status: S, error: 'invalid_request' | 'fresh_sign_in_required' | 'already_registered', reason: string, userId: string): PasskeyAnswer {
    this.deps.log?.('refused a passkey ceremony', { reason, error, user_id: userId });
    return { status, body: { error } };
  }
}
