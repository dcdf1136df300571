/**
 * Binding the customer to a tool call through Bedrock AgentCore Gateway, which passes its Lambda
 * targets the tool's arguments and name but no caller identity. The Gateway's REQUEST interceptor
 * (which sees the request's Authorization header) verifies the customer's JWT and adds one
 * argument, `_centli_identity`: the customer, the tool, a hash of the other arguments and an
 * expiry, with a MAC made by a KMS HMAC key. Only the interceptor may make MACs with that key and
 * only the targets may verify them, so a target acts only for a customer the interceptor vouched
 * for, for that tool and exactly those arguments, for a minute. Whatever a client puts in
 * `_centli_identity` itself is thrown away by the interceptor before it adds its own.
 */
import { canonicalJson, fingerprint } from '@centli/tools/confirmation';

export const IDENTITY_ARGUMENT = '_centli_identity';
/** How long a vouched call stays valid: long enough for the Gateway to reach the target. */
export const IDENTITY_TTL_SECONDS = 60;

export interface GatewayIdentity {
  user_id: string;
  /** The customer's language, from their token. */
  locale: 'es' | 'en';
  /** The tool as the Gateway names it to the target: `<target>___<tool>`. */
  tool: string;
  /** SHA-256 (base64url) of the canonical JSON of every other argument. */
  args_sha256: string;
  /** Epoch seconds. */
  expires_at: number;
  /** The KMS HMAC of `identityMessage(...)`, base64. */
  mac: string;
}

export type UnsignedIdentity = Omit<GatewayIdentity, 'mac'>;

/** The bytes the MAC covers: versioned, so the format can change without confusion. */
export function identityMessage(identity: UnsignedIdentity): Buffer {
  return Buffer.from(`centli-gateway-identity/v1\n${canonicalJson({ args_sha256: identity.args_sha256, expires_at: identity.expires_at, locale: identity.locale, tool: identity.tool, user_id: identity.user_id })}`);
}

/** The arguments of a call without the identity argument, and that argument. */
export function splitIdentity(args: Record<string, unknown>): { args: Record<string, unknown>; identity: unknown } {
  const { [IDENTITY_ARGUMENT]: identity, ...rest } = args;
  return { args: rest, identity };
}

export function unsignedIdentity(userId: string, tool: string, args: Record<string, unknown>, now: Date, locale: 'es' | 'en' = 'es'): UnsignedIdentity {
  return { user_id: userId, locale, tool, args_sha256: fingerprint(args), expires_at: Math.floor(now.getTime() / 1000) + IDENTITY_TTL_SECONDS };
}

/**
 * What is wrong with an identity presented to a target, before its MAC is checked; undefined
 * when it is well-formed, unexpired and for this tool and these arguments.
 */
export function identityProblem(identity: unknown, tool: string, args: Record<string, unknown>, now: Date): string | undefined {
  if (identity === null || typeof identity !== 'object') return 'no identity: the call did not come through the Gateway interceptor';
  const i = identity as Partial<GatewayIdentity>;
  if (typeof i.user_id !== 'string' || (i.locale !== 'es' && i.locale !== 'en') || typeof i.tool !== 'string' || typeof i.args_sha256 !== 'string' || typeof i.expires_at !== 'number' || typeof i.mac !== 'string') return 'malformed identity';
  if (i.expires_at <= Math.floor(now.getTime() / 1000)) return 'expired identity';
  if (i.tool !== tool) return `identity for ${i.tool}, not ${tool}`;
  if (i.args_sha256 !== fingerprint(args)) return 'identity for other arguments';
  return undefined;
}

/** The tool's own name from the Gateway's `<target>___<tool>`. */
export function toolOf(qualified: string): string {
  const at = qualified.lastIndexOf('___');
  return at === -1 ? qualified : qualified.slice(at + 3);
}
