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
 *   Cognito, a custom attribute such as `custom:user_id`);
 * - CENTLI_AUTH_TOKEN_USE: the `token_use` the door expects (comma-separated); `id` by default,
 *   the ID token a Cognito sign-in gives the chat page and the one that carries the user id
 *   claim. A token of another use (an access token where an ID token is expected, a token minted
 *   for something else) is refused, as is a token without an expiry (`exp` is required).
 * The key set is fetched once per container and refreshed by jose when a token names a key it
 * has not seen.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Context } from 'aws-lambda';
import { CentliError } from '@centli/pure/errors';
import { localeOf, type Locale } from '@centli/pure/locale';
import { applyLocalEndpoints } from './config';
import { recordOutcome } from './observability';

/** The token is missing, malformed, expired, not from the trusted issuer, or names no customer. */
export class UnauthenticatedError extends CentliError {
  constructor(expired = false, options?: ErrorOptions) {
    super('AUTH.UNAUTHENTICATED', { expired }, options);
  }
}

export interface Customer {
  userId: string;
  /** Their language, from the token's `locale` claim (@centli/pure/locale): every door reads it the same way. */
  locale: Locale;
  /** When the token stops being valid (epoch seconds). */
  expiresAt: number | undefined;
  claims: JWTPayload;
}

export interface AuthSettings {
  issuer: string;
  jwksUrl: string;
  audiences: string[];
  userClaim: string;
  /** The `token_use` values accepted; `['id']` when not given. */
  tokenUses?: string[];
}

/**
 * The stage's settings. `tokenUseVariable` names a door's own token-use variable (the MCP
 * endpoint's CENTLI_MCP_TOKEN_USE), read before CENTLI_AUTH_TOKEN_USE: the local stack runs every
 * handler in one process, where one variable cannot hold two doors' values.
 */
export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, options: { tokenUseVariable?: string } = {}): AuthSettings {
  applyLocalEndpoints(env);
  const issuer = env.CENTLI_AUTH_ISSUER;
  if (!issuer) throw new Error('CENTLI_AUTH_ISSUER is not set: the front doors cannot tell who a customer is without a trusted issuer');
  return {
    issuer,
    jwksUrl: env.CENTLI_AUTH_JWKS_URL || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    audiences: listOf(env.CENTLI_AUTH_AUDIENCE),
    userClaim: env.CENTLI_AUTH_USER_CLAIM || 'sub',
    tokenUses: listOf((options.tokenUseVariable ? env[options.tokenUseVariable] : undefined) || env.CENTLI_AUTH_TOKEN_USE),
  };
}

const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);

/** What a door expects when CENTLI_AUTH_TOKEN_USE is not set. */
export const DEFAULT_TOKEN_USES: readonly string[] = ['id'];

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
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.settings.issuer, algorithms: ['RS256', 'ES256'], clockTolerance: 5, requiredClaims: ['exp'] }));
    } catch (error) {
      const expired = error instanceof errors.JWTExpired;
      throw new UnauthenticatedError(expired, { cause: error });
    }
    if (this.settings.audiences.length > 0) {
      const audiences = [payload.aud, payload.client_id].flat().filter((a): a is string => typeof a === 'string');
      if (!audiences.some((a) => this.settings.audiences.includes(a))) throw new UnauthenticatedError(false, { cause: new Error('audience not accepted') });
    }
    const uses = this.settings.tokenUses?.length ? this.settings.tokenUses : DEFAULT_TOKEN_USES;
    if (typeof payload.token_use !== 'string' || !uses.includes(payload.token_use)) throw new UnauthenticatedError(false, { cause: new Error(`token_use ${String(payload.token_use)} is not one of ${uses.join(', ')}`) });
    const userId = payload[this.settings.userClaim];
    if (typeof userId !== 'string' || !USER_ID.test(userId)) throw new UnauthenticatedError(false, { cause: new Error(`claim ${this.settings.userClaim} is not a user id`) });
    return { userId, locale: localeOf(payload), expiresAt: payload.exp, claims: payload };
  }
}

/** The token of an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** What a door needs to authenticate: its verifier and logger, and the invocation to count a refusal on (none for a process such as stdio). */
export interface DoorAuthentication {
  verifier: Pick<TokenVerifier, 'customer'>;
  logger: { warn: (message: string, attributes: Record<string, unknown>) => void };
  context?: Context;
}

/**
 * Every door's first step: the customer a bearer token names, or the refusal, logged with its
 * reason (never the token) and counted on the invocation as refused AUTH.UNAUTHENTICATED. The
 * refusal is returned, not thrown: each door answers it in its own protocol's shape (a WebSocket
 * 401, an OAuth challenge, a JSON-RPC error). Anything but a refusal (the key set unreachable) is
 * thrown.
 */
export async function authenticate(token: string | undefined, door: DoorAuthentication): Promise<Customer | UnauthenticatedError> {
  try {
    return await door.verifier.customer(token);
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    door.logger.warn('refused a caller without a valid customer token', { reason: (error.cause as Error | undefined)?.message ?? 'no token' });
    if (door.context) recordOutcome(door.context, 'refused', error.code);
    return error;
  }
}
