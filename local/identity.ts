/**
 * The local stack as a token issuer: what Cognito (or any OIDC provider) is to a deployed stage.
 * At start it creates an ES256 key pair, publishes the public key at
 * `<issuer>/.well-known/jwks.json` and signs a demo token for each seeded customer; the front
 * doors verify them exactly as they verify a deployed stage's tokens (lib/kit/auth.ts), by issuer
 * and key set. The private key lives in this process only, so the tokens are good while this
 * stack runs and nowhere else.
 *
 * @module
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { sendJson, type LocalHttpServer } from './http';

export const JWKS_PATH = '/.well-known/jwks.json';
/** How long a demo token lasts: longer than any session at a desk. */
const TOKEN_LIFETIME = '12h';

export interface LocalIssuer {
  /** The issuer URL, which is the stack's HTTP URL. */
  issuer: string;
  /** Signs a token naming `userId` (claim `sub`), for the audience `centli`. */
  tokenFor(userId: string, options?: { expiresIn?: string; claims?: Record<string, unknown> }): Promise<string>;
}

/** Creates the key pair and serves its JWKS on `server`; the issuer is known once the server has started. */
export async function createLocalIssuer(server: LocalHttpServer): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `centli-local-${Date.now().toString(36)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  server.route((request, response, url) => {
    if (request.method !== 'GET' || url.pathname !== JWKS_PATH) return false;
    sendJson(response, 200, { keys: [jwk] }, { 'cache-control': 'max-age=300' });
    return true;
  });
  return {
    get issuer() {
      return server.url;
    },
    tokenFor: (userId, options = {}) => sign(privateKey, kid, server.url, userId, options),
  };
}

async function sign(key: CryptoKey, kid: string, issuer: string, userId: string, options: { expiresIn?: string; claims?: Record<string, unknown> }): Promise<string> {
  return new SignJWT({ ...options.claims, token_use: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(userId)
    .setAudience('centli')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? TOKEN_LIFETIME)
    .sign(key);
}
