/**
 * Who the customer is, from a bearer token and nothing else. The front doors (the MCP server,
 * the chat gateway) call `customerFromToken`; no tool argument, message or model output can
 * name a customer.
 *
 * Tokens are JWTs verified with `jose` against the issuer the stage trusts:
 * - CENTLI_AUTH_ISSUER: the `iss` to accept (a Cognito user pool's
 *   `https://cognito-idp.<region>.amazonaws.com/<pool id>`, any OIDC provider, or locally the
 *   stack's own URL);
 * - CENTLI_AUTH_JWKS_URL: its signing keys; `<issuer>/.well-known/jwks.json` by default, which is
 *   where Cognito and the local stack publish them;
 * - CENTLI_AUTH_AUDIENCE: when set, the token's `aud` (ID tokens) or `client_id` (Cognito access
 *   tokens) must be one of these (comma-separated);
 * - CENTLI_AUTH_USER_CLAIM: the claim that holds Centli's user_id; `sub` by default (with
 *   Cognito, a custom attribute such as `custom:user_id`).
 * The key set is fetched once per container and refreshed by jose when a token names a key it
 * has not seen.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { CentliError } from '@centli/pure/errors';
import { applyLocalEndpoints } from './config';

/** The token is missing, malformed, expired, not from the trusted issuer, or names no customer. */
export class UnauthenticatedError extends CentliError {
  constructor(message = 'A valid customer token is required.', options?: ErrorOptions) {
    super('AUTH.UNAUTHENTICATED', message, options);
  }
}

export interface Customer {
  userId: string;
  /** When the token stops being valid (epoch seconds). */
  expiresAt: number | undefined;
  claims: JWTPayload;
}

export interface AuthSettings {
  issuer: string;
  jwksUrl: string;
  audiences: string[];
  userClaim: string;
}

export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  applyLocalEndpoints(env);
  const issuer = env.CENTLI_AUTH_ISSUER;
  if (!issuer) throw new Error('CENTLI_AUTH_ISSUER is not set: the front doors cannot tell who a customer is without a trusted issuer');
  return {
    issuer,
    jwksUrl: env.CENTLI_AUTH_JWKS_URL || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    audiences: (env.CENTLI_AUTH_AUDIENCE ?? '').split(',').map((a) => a.trim()).filter(Boolean),
    userClaim: env.CENTLI_AUTH_USER_CLAIM || 'sub',
  };
}

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Verifies bearer tokens for one issuer (see the module description). */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: AuthSettings = authSettingsFromEnv()) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  }

  /**
   * The customer a token names.
   *
   * @throws UnauthenticatedError for any token that is not valid; the reason is in `cause` for
   *   the logs, never in the message, which the caller may show.
   */
  async customer(token: string | undefined): Promise<Customer> {
    if (!token) throw new UnauthenticatedError();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.settings.issuer, algorithms: ['RS256', 'ES256'], clockTolerance: 5 }));
    } catch (error) {
      const expired = error instanceof errors.JWTExpired;
      throw new UnauthenticatedError(expired ? 'The customer token has expired.' : undefined, { cause: error });
    }
    if (this.settings.audiences.length > 0) {
      const audiences = [payload.aud, payload.client_id].flat().filter((a): a is string => typeof a === 'string');
      if (!audiences.some((a) => this.settings.audiences.includes(a))) throw new UnauthenticatedError(undefined, { cause: new Error('audience not accepted') });
    }
    const userId = payload[this.settings.userClaim];
    if (typeof userId !== 'string' || !USER_ID.test(userId)) throw new UnauthenticatedError(undefined, { cause: new Error(`claim ${this.settings.userClaim} is not a user id`) });
    return { userId, expiresAt: payload.exp, claims: payload };
  }
}

/** The token of an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
