/**
 * The caller check of the voice channel: Amazon Connect's contact flow calls it (the "Invoke AWS
 * Lambda function" block) with the caller id it received and the PIN the caller typed. Whose phone
 * it is comes from the voice table, never from the caller; the PIN is checked against its scrypt
 * hash; three wrong PINs in a row lock the phone for fifteen minutes; every attempt is recorded.
 * On success the answer carries `customer_token`, the verified customer signed for this contact
 * (domain/caller-identity.ts), which the flow puts in the bot's session attributes.
 *
 * The answer is what Connect accepts from a Lambda function: a flat map of strings.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { correlate, recordOutcome, type Observability } from '@centli/kit/observability';
import type { Locale } from '@centli/pure/locale';
import { refusalText } from '@centli/pure/refusals';
import type { IdentityMac } from '@centli/kit/identity-mac';
import type { AttemptOutcome, CallerItem, CallerStore } from '../adapters/caller-store';
import { callerIdentity, callerIdentityMessage, callerToken } from '../domain/caller-identity';
import { afterWrongPin, attemptsLeft, isLocked } from '../domain/lockout';
import { toE164 } from '../domain/phone';
import { hashPin, isPinShaped, verifyPin } from '../domain/pin';

/** The parts of Connect's ContactFlowEvent this function reads. */
export interface ContactFlowEvent {
  Name?: string;
  Details?: {
    ContactData?: {
      ContactId?: string;
      LanguageCode?: string;
      CustomerEndpoint?: { Address?: string; Type?: string } | null;
      Attributes?: Record<string, string>;
    };
    Parameters?: Record<string, string>;
  };
}

/**
 * `result`, `locale`, and: `attempts_left` (not for an unknown number), `locked_until` (ISO, when
 * locked), `customer_token` (when verified) and `message`, what the caller hears when not verified
 * (the catalogue's text for the refusal, in the caller's language).
 */
export interface CallerCheck extends Record<string, string> {
  result: AttemptOutcome;
  locale: Locale;
}

/** The catalogue's code for each refusal (lib/pure/refusals.ts), whose text the caller hears. */
export const REFUSAL_CODES = { wrong_pin: 'VOICE.WRONG_PIN', locked: 'VOICE.LOCKED', unknown_caller: 'VOICE.UNKNOWN_CALLER' } as const;

export interface AuthenticateCallerDeps {
  store: Pick<CallerStore, 'getCaller' | 'swapLockState' | 'recordAttempt'>;
  mac: Pick<IdentityMac, 'sign'>;
  now: () => Date;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** Concurrent attempts on one phone each re-read at most this often before giving up. */
const MAX_SWAPS = 8;

/** A hash no PIN matches, checked for an unknown number so that it takes as long as a known one. */
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPin(randomUUID()));

/** The caller's language: what the flow says, else the contact's, else Spanish. */
export function localeOfContact(event: ContactFlowEvent): Locale {
  const code = event.Details?.Parameters?.locale ?? event.Details?.ContactData?.LanguageCode ?? '';
  return code.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/**
 * Checks the caller of one Connect contact: who they are by caller id, their PIN against its hash,
 * the lock; records the attempt; answers what the flow needs, as strings.
 *
 * @throws Error when the event has no contact id (it is not Connect's).
 */
export async function authenticateCaller(event: ContactFlowEvent, deps: AuthenticateCallerDeps): Promise<CallerCheck> {
  const contact = event.Details?.ContactData ?? {};
  const contactId = contact.ContactId;
  // The token is bound to the contact: without one there is nothing to bind it to, and Connect
  // always sends one, so this is not Connect calling (the flow takes its error branch).
  if (typeof contactId !== 'string' || !/^[\w-]{1,128}$/.test(contactId)) throw new Error('not a contact flow event: no ContactId');
  const locale = localeOfContact(event);
  const pin = event.Details?.Parameters?.pin;
  const endpoint = contact.CustomerEndpoint;
  const phone = endpoint && (endpoint.Type === undefined || endpoint.Type === 'TELEPHONE_NUMBER') ? toE164(endpoint.Address) : undefined;

  const checked = await check(phone, pin, contactId, locale, deps);
  const answer = checked.result === 'verified' ? checked : { ...checked, message: refusalFor(checked) };
  const attemptedAt = deps.now().toISOString();
  await deps.store.recordAttempt({ phone: phone ?? 'withheld', contact_id: contactId, outcome: answer.result, attempted_at: attemptedAt }, randomUUID());
  deps.log?.('checked a caller', { result: answer.result, contact_id: contactId, ...(answer.result === 'verified' ? {} : { attempts_left: answer.attempts_left }) });
  return answer;
}

async function check(phone: string | undefined, pin: string | undefined, contactId: string, locale: Locale, deps: AuthenticateCallerDeps): Promise<CallerCheck> {
  let caller: CallerItem | undefined = phone ? await deps.store.getCaller(phone) : undefined;
  if (!phone || !caller) {
    await verifyPin(isPinShaped(pin) ? pin : '0000', await decoyHash());
    // Nothing about any account: not whether the number is known, nor any attempts left.
    return { result: 'unknown_caller', locale };
  }
  let now = deps.now();
  if (isLocked(caller, now)) return locked(caller, locale);
  // Hashed whatever was typed, so a malformed PIN takes as long as a wrong one.
  const right = (await verifyPin(isPinShaped(pin) ? pin : '', caller.pin_hash)) && isPinShaped(pin);
  for (let swap = 0; swap < MAX_SWAPS; swap++) {
    now = deps.now();
    if (isLocked(caller, now)) return locked(caller, locale);
    const seen = { failures: caller.failures, locked_until: caller.locked_until };
    const next = right ? { failures: 0 } : afterWrongPin(caller, now);
    if (await deps.store.swapLockState(phone, seen, next)) {
      if (!right) {
        const after = { ...caller, ...next, locked_until: next.locked_until };
        return isLocked(after, now) ? locked(after, locale) : { result: 'wrong_pin', attempts_left: String(attemptsLeft(after, now)), locale };
      }
      const identity = callerIdentity(caller.user_id, contactId, locale, now);
      const mac = await deps.mac.sign(callerIdentityMessage(identity));
      return { result: 'verified', attempts_left: String(attemptsLeft({ failures: 0 }, now)), customer_token: callerToken(identity, mac), locale };
    }
    // Another attempt changed the count first: read it again and apply this one to that.
    caller = await deps.store.getCaller(phone);
    if (!caller) return { result: 'unknown_caller', locale };
  }
  throw new Error(`the lock state of a phone kept changing over ${MAX_SWAPS} tries`);
}

/** One invocation from Connect: correlated by the contact id, counted as refused unless verified. */
export async function answerContactFlow(event: ContactFlowEvent, context: Context, deps: AuthenticateCallerDeps, observability: Pick<Observability, 'logger' | 'tracer'>): Promise<CallerCheck> {
  const contactId = event?.Details?.ContactData?.ContactId;
  correlate(observability, { correlation_id: typeof contactId === 'string' ? contactId.slice(0, 128) : context.awsRequestId });
  const answer = await authenticateCaller(event ?? {}, deps);
  if (answer.result !== 'verified') recordOutcome(context, 'refused', REFUSAL_CODES[answer.result]);
  return answer;
}

/** What the flow plays to a caller who is not verified, in their language. */
function refusalFor(check: CallerCheck): string {
  if (check.result === 'wrong_pin') return refusalText(REFUSAL_CODES.wrong_pin, { attempts_left: Number(check.attempts_left) }, check.locale);
  if (check.result === 'locked') return refusalText(REFUSAL_CODES.locked, check.locked_until ? { locked_until: check.locked_until } : {}, check.locale);
  return refusalText(REFUSAL_CODES.unknown_caller, {}, check.locale);
}

function locked(caller: CallerItem, locale: Locale): CallerCheck {
  return { result: 'locked', attempts_left: '0', locked_until: caller.locked_until ?? '', locale };
}
