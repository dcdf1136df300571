/**
 * The Lex V2 bot's code hook: every turn of a call, Lex hands over what the caller said (or the
 * keys they pressed, which Connect passes as the transcript) with the session attributes the
 * contact flow set: `customer_token` (authenticate-caller's KMS-MAC'd customer, bound to the
 * contact), `contact_id` (Connect's, never the caller's) and `locale`. The caller is verified on
 * every turn (`verifyCallerIdentity`); a turn that verifies nobody acts for nobody: a polite
 * refusal, and the call is closed. A verified turn goes to the voice door (./voice-door.ts), and
 * its answer is given back as Lex V2 expects it: `ElicitIntent` to keep talking, `Close` (with
 * the intent's state, Fulfilled or Failed) to end the call, the words as SSML messages, and the
 * session attributes exactly as they came, since nothing the door keeps lives there.
 */
import type { Context, LexV2Event, LexV2IntentState, LexV2Result } from 'aws-lambda';
import { correlate, recordOutcome, type Observability } from '@centli/kit/observability';
import type { Locale } from '@centli/pure/locale';
import { speechMessages, spoken, type SpeechMessage } from '@centli/tools/speech';
import { say } from '@centli/tools/text';
import { localeOfLex } from '../domain/utterance';
import { verifyCallerIdentity, type VerifyCallerIdentityDeps } from './verify-caller-identity';
import { answerUtterance, type VoiceDoorDeps } from './voice-door';

export interface BotCodeHookDeps {
  verify: VerifyCallerIdentityDeps;
  /** The door, made on first use: a turn that verifies nobody needs none of it. */
  door: () => VoiceDoorDeps;
  log?: (level: 'info' | 'warn' | 'error', message: string, attributes?: Record<string, unknown>) => void;
}

/** What the code hook answers: a Lex V2 response whose messages are always SSML. */
export interface BotCodeHookResult extends LexV2Result {
  messages: SpeechMessage[];
}

/** The intent Lex names when the event names none (the bot's catch-all). */
const FALLBACK_INTENT = 'FallbackIntent';

/** One turn of a call. */
export async function answerBot(event: LexV2Event, context: Context, deps: BotCodeHookDeps, observability: Pick<Observability, 'logger' | 'tracer'>): Promise<BotCodeHookResult> {
  const attributes = event?.sessionState?.sessionAttributes ?? {};
  const contactId = typeof attributes.contact_id === 'string' && attributes.contact_id !== '' ? attributes.contact_id : undefined;
  correlate(observability, { correlation_id: contactId?.slice(0, 128) ?? context.awsRequestId });
  const intentName = event?.sessionState?.intent?.name || event?.proposedNextState?.intent?.name || FALLBACK_INTENT;
  const close = (messages: SpeechMessage[], state: LexV2IntentState): BotCodeHookResult => ({
    sessionState: { sessionAttributes: attributes, dialogAction: { type: 'Close' }, intent: { name: intentName, state } },
    messages,
  });

  const caller = contactId ? await verifyCallerIdentity(attributes.customer_token, contactId, deps.verify) : undefined;
  if (!contactId || !caller) {
    deps.log?.('warn', 'a bot turn without a verified caller; refused and closed', { contact_id: contactId?.slice(0, 128), has_token: typeof attributes.customer_token === 'string' });
    recordOutcome(context, 'refused', 'VOICE.UNVERIFIED');
    const locale = refusalLocale(event);
    return close(speechMessages(spoken(say('VOICE.UNVERIFIED', {}, locale), locale).text), 'Failed');
  }
  const lexLocale = localeOfLex(event.bot?.localeId);
  // The flow picks the bot's locale from the same verified locale; Centli speaks the token's.
  if (lexLocale !== undefined && lexLocale !== caller.locale) deps.log?.('warn', 'the bot locale and the caller’s verified locale differ; speaking the verified one', { lex_locale: event.bot?.localeId, locale: caller.locale });

  const answer = await answerUtterance({ contactId, caller, transcript: event.inputTranscript ?? '' }, deps.door());
  if (answer.refused) recordOutcome(context, 'refused', answer.code);
  if (answer.hangUp) return close(answer.messages, answer.refused ? 'Failed' : 'Fulfilled');
  return { sessionState: { sessionAttributes: attributes, dialogAction: { type: 'ElicitIntent' } }, messages: answer.messages };
}

/** The language to refuse an unverified caller in: the flow's `locale` attribute, else the bot's locale, else Spanish. */
function refusalLocale(event: LexV2Event): Locale {
  const said = event?.sessionState?.sessionAttributes?.locale;
  if (said === 'es' || said === 'en') return said;
  return localeOfLex(event?.bot?.localeId) ?? 'es';
}
