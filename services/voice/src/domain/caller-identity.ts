/**
 * The verified caller, as authenticate-caller hands it to the bot in the contact's session
 * attributes: `customer_token` = `<payload>.<mac>`, the payload the canonical JSON of the customer,
 * the contact and an expiry (base64url), the MAC a KMS HMAC over `callerIdentityMessage(...)`
 * (base64url), made with the voice identity key as the AgentCore Gateway identity is made with the
 * gateway's (services/mcp/src/domain/gateway-identity.ts). Only authenticate-caller may make MACs
 * with that key, so the code hook acts only for a caller whose PIN was checked, on that call, for
 * as long as a call lasts; nothing the caller says reaches the token.
 */
import { canonicalJson } from '@centli/pure/canonical';
import type { Locale } from '@centli/pure/locale';

/** How long a verified caller stays verified: longer than any call the bot holds. */
export const CALLER_IDENTITY_TTL_SECONDS = 2 * 60 * 60;

export interface CallerIdentity {
  user_id: string;
  /** The Amazon Connect contact the PIN was checked on: the token is good for that call only. */
  contact_id: string;
  locale: Locale;
  /** Epoch seconds. */
  expires_at: number;
}

/** The bytes the MAC covers: versioned, and never the bytes of a gateway identity. */
export function callerIdentityMessage(identity: CallerIdentity): Buffer {
  const { user_id, contact_id, locale, expires_at } = identity;
  return Buffer.from(`centli-caller-identity/v1\n${canonicalJson({ contact_id, expires_at, locale, user_id })}`);
}

export function callerIdentity(userId: string, contactId: string, locale: Locale, now: Date): CallerIdentity {
  return { user_id: userId, contact_id: contactId, locale, expires_at: Math.floor(now.getTime() / 1000) + CALLER_IDENTITY_TTL_SECONDS };
}

/** The token for a signed identity; `mac` as KMS returns it (base64). */
export function callerToken(identity: CallerIdentity, mac: string): string {
  return `${callerIdentityMessage(identity).toString('base64url')}.${Buffer.from(mac, 'base64').toString('base64url')}`;
}

/** A token read back: the identity it claims and its MAC (base64), or why it is no identity at all. */
export function readCallerToken(token: unknown): { identity: CallerIdentity; mac: string } | { problem: string } {
  if (typeof token !== 'string' || token.length > 2048) return { problem: 'no token' };
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return { problem: 'malformed token' };
  const text = Buffer.from(payload, 'base64url').toString('utf8');
  const prefix = 'centli-caller-identity/v1\n';
  if (!text.startsWith(prefix)) return { problem: 'not a caller identity' };
  let claims: Partial<CallerIdentity>;
  try {
    claims = JSON.parse(text.slice(prefix.length)) as Partial<CallerIdentity>;
  } catch {
    return { problem: 'malformed token' };
  }
  const { user_id, contact_id, locale, expires_at } = claims ?? {};
  if (typeof user_id !== 'string' || user_id === '' || typeof contact_id !== 'string' || contact_id === '' || (locale !== 'es' && locale !== 'en') || typeof expires_at !== 'number') {
    return { problem: 'malformed identity' };
  }
  return { identity: { user_id, contact_id, locale, expires_at }, mac: Buffer.from(mac, 'base64url').toString('base64') };
}

/** What is wrong with a well-formed identity presented on a contact, before its MAC is checked. */
export function callerIdentityProblem(identity: CallerIdentity, contactId: string, now: Date): string | undefined {
  if (identity.expires_at <= Math.floor(now.getTime() / 1000)) return 'expired identity';
  if (identity.contact_id !== contactId) return 'identity for another contact';
  return undefined;
}
