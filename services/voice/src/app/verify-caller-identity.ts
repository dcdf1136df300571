/**
 * For the bot's code hook: the customer a `customer_token` from the contact's session attributes
 * vouches for, on this contact, or undefined. A token that is malformed, expired, made for
 * another contact or whose MAC KMS does not recognise vouches for nobody.
 */
import type { IdentityMac } from '@centli/kit/identity-mac';
import { callerIdentityMessage, callerIdentityProblem, readCallerToken, type CallerIdentity } from '../domain/caller-identity';

export interface VerifyCallerIdentityDeps {
  mac: Pick<IdentityMac, 'verify'>;
  now: () => Date;
}

export type VerifiedCaller = Pick<CallerIdentity, 'user_id' | 'locale'>;

export async function verifyCallerIdentity(token: unknown, contactId: string, deps: VerifyCallerIdentityDeps): Promise<VerifiedCaller | undefined> {
  const read = readCallerToken(token);
  if ('problem' in read) return undefined;
  if (callerIdentityProblem(read.identity, contactId, deps.now())) return undefined;
  if (!(await deps.mac.verify(callerIdentityMessage(read.identity), read.mac))) return undefined;
  return { user_id: read.identity.user_id, locale: read.identity.locale };
}
