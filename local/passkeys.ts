/**
 * Passkeys (WebAuthn) at the local issuer: the second factor an approval above the customer's MTU
 * needs (lib/pure/step-up.ts), as Cognito's managed login offers passkey sign-in to a deployed
 * stage. The ceremonies are @simplewebauthn/server's; this module keeps what a relying party
 * keeps: each customer's credentials (public key, counter) and the challenges it handed out, each
 * good once, for two minutes. Everything lives in this process, as the issuer's keys do.
 *
 * - Registration needs the customer signed in already (an ID token of this issuer names who the
 *   passkey is for): a passkey is added to an account, never creates one.
 * - Authentication is discoverable (resident keys, user verification required): the credential
 *   the authenticator chose names the customer.
 *
 * The relying party is the host the page is on (`localhost`: WebAuthn takes a domain, never an
 * IP address, as its RP ID), and the origin the browser reports must be that page's.
 *
 * @module
 */
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** How long a challenge waits for the authenticator's answer. */
export const CHALLENGE_LIFETIME_MS = 120_000;

const RP_NAME = 'Centli (local)';

/** A passkey ceremony that did not prove anything; the message says why, for the page and the logs. */
export class PasskeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasskeyError';
  }
}

/** Where the ceremony happens: the page's origin, and its host as the RP ID. */
export interface RelyingParty {
  origin: string;
  rpId: string;
}

interface Challenge {
  kind: 'registration' | 'authentication';
  /** Registration: the customer the passkey is for. */
  userId?: string;
  rp: RelyingParty;
  expiresAt: number;
}

interface StoredCredential {
  userId: string;
  credential: WebAuthnCredential;
}

export class LocalPasskeys {
  private readonly challenges = new Map<string, Challenge>();
  /** By credential id. */
  private readonly credentials = new Map<string, StoredCredential>();

  constructor(
    private readonly customers: () => ReadonlyArray<{ user_id: string; name: string }>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `userId` has a passkey here. */
  has(userId: string): boolean {
    return [...this.credentials.values()].some((stored) => stored.userId === userId);
  }

  /** The options the browser creates a passkey for `userId` with (a signed-in customer). */
  async registrationOptions(userId: string, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const customer = this.customers().find((c) => c.user_id === userId);
    if (!customer) throw new PasskeyError(`no seeded customer ${userId}`);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.rpId,
      userName: userId,
      userID: new TextEncoder().encode(userId),
      userDisplayName: customer.name,
      attestationType: 'none',
      excludeCredentials: this.of(userId).map((c) => ({ id: c.id, ...(c.transports ? { transports: c.transports } : {}) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    this.remember(options.challenge, { kind: 'registration', userId, rp });
    return options;
  }

  /** Checks the new passkey against the challenge handed out for `userId`'s, and keeps it. */
  async register(response: RegistrationResponseJSON, userId: string): Promise<void> {
    const challenge = this.take(response, 'registration');
    if (challenge.userId !== userId) throw new PasskeyError('the challenge was handed out for another customer');
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.code,
      expectedOrigin: challenge.rp.origin,
      expectedRPID: challenge.rp.rpId,
      requireUserVerification: true,
    }).catch((error: unknown) => {
      throw new PasskeyError('the passkey could not be verified', { cause: error });
    });
    if (!verified.verified) throw new PasskeyError('the passkey could not be verified');
    this.credentials.set(verified.registrationInfo.credential.id, { userId, credential: verified.registrationInfo.credential });
  }

  /** The options the browser signs in with a passkey with (any of this issuer's: the authenticator chooses). */
  async authenticationOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: rp.rpId, userVerification: 'required' });
    this.remember(options.challenge, { kind: 'authentication', rp });
    return options;
  }

  /** Checks a passkey sign-in: the customer whose passkey signed this issuer's challenge, with the user verified. */
  async authenticate(response: AuthenticationResponseJSON): Promise<{ userId: string }> {
    const challenge = this.take(response, 'authentication');
    const stored = this.credentials.get(response.id);
    if (!stored) throw new PasskeyError('this passkey is not registered here');
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.code,
      expectedOrigin: challenge.rp.origin,
      expectedRPID: challenge.rp.rpId,
      credential: stored.credential,
      requireUserVerification: true,
    }).catch((error: unknown) => {
      throw new PasskeyError('the passkey sign-in could not be verified', { cause: error });
    });
    if (!verified.verified) throw new PasskeyError('the passkey sign-in could not be verified');
    stored.credential.counter = verified.authenticationInfo.newCounter;
    return { userId: stored.userId };
  }

  private of(userId: string): WebAuthnCredential[] {
    return [...this.credentials.values()].filter((stored) => stored.userId === userId).map((stored) => stored.credential);
  }

  private remember(code: string, challenge: Omit<Challenge, 'expiresAt'>): void {
    const now = this.now();
    for (const [key, old] of this.challenges) if (old.expiresAt <= now) this.challenges.delete(key);
    this.challenges.set(code, { ...challenge, expiresAt: now + CHALLENGE_LIFETIME_MS });
  }

  /** The challenge the response answers, used up: a challenge proves one ceremony. */
  private take(response: { response: { clientDataJSON: string } }, kind: Challenge['kind']): Challenge & { code: string } {
    let code: unknown;
    try {
      code = (JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    } catch (error) {
      throw new PasskeyError('the answer is not a WebAuthn response', { cause: error });
    }
    const challenge = typeof code === 'string' ? this.challenges.get(code) : undefined;
    if (typeof code !== 'string' || !challenge || challenge.kind !== kind) throw new PasskeyError('the challenge is not one this issuer handed out');
    this.challenges.delete(code);
    if (challenge.expiresAt <= this.now()) throw new PasskeyError('the challenge expired');
    return { ...challenge, code };
  }
}
