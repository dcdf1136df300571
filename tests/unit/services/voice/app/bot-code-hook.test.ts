/**
 * The Lex V2 code hook on events of the documented shape (services/voice/events/bot-code-hook-*.json,
 * varied per turn): the caller's token verified on every turn, the voice door over the
 * conversation core with the services faked at their function's edge (answers checked against
 * their schemas), and the answers Lex V2 takes: ElicitIntent or Close, SSML messages, the session
 * attributes given back untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, LexV2Event } from 'aws-lambda';
import type { Observability } from '@centli/kit/observability';
import type { IdentifiedRequest } from '@centli/tools/adapters/service-caller';
import { parseIntent } from '@centli/tools/intent/intent-parser';
import type { Locale } from '@centli/tools/text';
import { answerBot, type BotCodeHookDeps, type BotCodeHookResult } from '../../../../../services/voice/src/app/bot-code-hook';
import type { VoiceDoorDeps } from '../../../../../services/voice/src/app/voice-door';
import { callerIdentity, callerIdentityMessage, callerToken } from '../../../../../services/voice/src/domain/caller-identity';
import { FakeConfirmationStore, FakeRateLimiter } from '../../../support/fakes';
import { balances, FakeClock, FakeServiceCaller, holders, reply, resolvesHermano, transferCompleted, type Responder } from '../../mcp/fakes';
import { fakeMac, MemoryCallStore } from '../fakes';

const CONTACT = '5ca32fbd-8f92-46af-92a5-6b0f970f0efe';
const recorded = JSON.parse(readFileSync(join(__dirname, '../../../../../services/voice/events/bot-code-hook-without-token.json'), 'utf8')) as LexV2Event;
const mac = fakeMac();
const quietObservability = { logger: { appendKeys: () => undefined }, tracer: { putAnnotation: () => undefined } } as unknown as Pick<Observability, 'logger' | 'tracer'>;

/** The MTU Core Banking tells with the accounts: MXN 12,750.00. */
const MTU = { amount: 1_275_000, currency: 'MXN', formatted_amount: '$12,750.00 MXN', is_default: true, udis: 1500, max_amount: 10_000_000, formatted_max_amount: '$100,000.00 MXN' };
const balancesWithMtu: Responder = async (request) => (await balances(request)).map((answer) => ({ ...answer, detail: { ...answer.detail, mtu: MTU } }));

const LUIS_CARD = { card_id: 'card-luis-nomina', account_id: 'acc-luis-nomina-1532', masked_number: '453212******7788', last_four: '7788', brand: 'visa', type: 'debit', status: 'active', expiry: '01/2029', name: 'Débito Nómina' };
const cards: Responder = reply('CARDS_RESPONSE', { cards: [LUIS_CARD] });
const locked: Responder = reply('CARD_LOCKED', { card: { ...LUIS_CARD, status: 'locked' }, changed: true, at: '2026-11-26T16:00:00.000Z' });
const replaced: Responder = reply('CARD_REPLACEMENT_REQUESTED', (request) => ({
  replacement: {
    replacement_id: 'rpl-luis-1',
    card_id: String(request.detail.card_id),
    account_id: LUIS_CARD.account_id,
    reason: String(request.detail.reason),
    status: 'pending',
    delivery_address: 'Av. Reforma 222, Ciudad de México',
    estimated_delivery: '2026-12-03',
    business_days: 5,
    created_at: '2026-11-26T16:00:00.000Z',
  },
  card: { ...LUIS_CARD, status: 'cancelled' },
  existing: false,
}));

/** A call: the code hook's deps over fakes, a token for the caller on this contact, and a way to say a line. */
function call(options: { userId?: string; locale?: Locale; services?: Record<string, Responder | Responder[]>; contactId?: string; rates?: FakeRateLimiter } = {}) {
  const { userId = 'user-ana', locale = 'es', contactId = CONTACT } = options;
  const clock = new FakeClock();
  const services = new FakeServiceCaller({ BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders, ALIAS_RESOLUTION_REQUEST: resolvesHermano, TRANSFER_REQUEST: transferCompleted, CARDS_QUERY: cards, CARD_LOCK_REQUEST: locked, CARD_REPLACEMENT_REQUEST: replaced, ...options.services });
  const calls = new MemoryCallStore();
  const confirmations = new FakeConfirmationStore();
  const logged: Array<[string, string]> = [];
  let ids = 0;
  const door: VoiceDoorDeps = {
    calls,
    confirmations,
    services,
    engine: { name: 'parser', understand: async (text, context) => parseIntent(text, context) },
    rates: options.rates ?? new FakeRateLimiter(),
    now: clock.now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    sleep: async (ms) => clock.advance(ms),
    purchaseWaitMs: 3000,
    timeZone: 'America/Mexico_City',
    log: (level, message) => logged.push([level, message]),
  };
  const deps: BotCodeHookDeps = { verify: { mac, now: clock.now }, door: () => door, log: (level, message) => logged.push([level, message]) };
  const identity = callerIdentity(userId, contactId, locale, clock.now());
  const token = mac.sign(callerIdentityMessage(identity)).then((signature) => callerToken(identity, signature));
  const attributes = async (extra: Record<string, string> = {}) => ({ contact_id: contactId, locale, customer_token: await token, ...extra });
  /** One turn: what the caller said (or keyed: `dtmf:1`), as Lex hands it to the code hook. */
  const say = async (said: string, extra: { attributes?: Record<string, string>; localeId?: string } = {}): Promise<BotCodeHookResult> => {
    const dtmf = said.startsWith('dtmf:');
    const event = lexEvent(dtmf ? said.slice(5) : said, dtmf ? 'DTMF' : 'Speech', extra.attributes ?? (await attributes()), extra.localeId ?? (locale === 'en' ? 'en_US' : 'es_419'));
    return answerBot(event, { awsRequestId: `req-${++ids}` } as Context, deps, quietObservability);
  };
  return { say, services, calls, confirmations, clock, logged, attributes, token };
}

/** The recorded event, as Lex sends it for this utterance. */
function lexEvent(transcript: string, inputMode: LexV2Event['inputMode'], sessionAttributes: Record<string, string>, localeId: string): LexV2Event {
  return {
    ...structuredClone(recorded),
    inputMode,
    inputTranscript: transcript,
    bot: { ...recorded.bot, localeId },
    sessionState: { ...structuredClone(recorded.sessionState), sessionAttributes },
    transcriptions: inputMode === 'Speech' ? [{ transcription: transcript, transcriptionConfidence: 0.94, resolvedContext: { intent: 'FallbackIntent' }, resolvedSlots: {} }] : [],
  } as LexV2Event;
}

/** What the caller hears: the SSML messages' words, without the markup. */
const heard = (result: BotCodeHookResult): string =>
  result.messages
    .map((m) => m.content.replace(/<[^>]+>/g, '').replace(/&apos;/g, '’'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

const moneyMoved = (services: FakeServiceCaller): IdentifiedRequest[] => [...services.sent('TRANSFER_REQUEST'), ...services.sent('PURCHASE_REQUEST'), ...services.sent('CARD_REPLACEMENT_REQUEST')];

describe('the bot’s code hook', () => {
  describe('a caller it cannot verify', () => {
    it('refuses politely and closes the call when the session has no token, acting for nobody', async () => {
      // Prepare
      const phone = call();
      const { customer_token: _token, ...withoutToken } = await phone.attributes();

      // Act
      const result = await phone.say('¿Cuál es mi saldo?', { attributes: withoutToken });

      // Assess
      expect(result.sessionState).toEqual({ sessionAttributes: withoutToken, dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent', state: 'Failed' } });
      expect(result.messages).toEqual([{ contentType: 'SSML', content: expect.stringMatching(/^<speak>.*<\/speak>$/) }]);
      expect(heard(result)).toBe('Lo siento, no pude confirmar quién llama, así que no puedo atenderte en esta llamada. Vuelve a llamar o usa la aplicación.');
      expect(phone.services.requests).toEqual([]);
      expect(phone.calls.items.size).toBe(0);
    });

    it.each([
      ['a token changed in one byte', async (token: string) => `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`, CONTACT],
      ['another call’s token', async (token: string) => token, '0ddba11-0000-4000-8000-000000000000'],
      ['no token at all, but a user id in the attributes', async () => '', CONTACT],
    ])('refuses %s the same way, and nothing moves', async (_name, change, contactId) => {
      // Prepare
      const phone = call();
      const attributes = { ...(await phone.attributes()), customer_token: await change(await phone.token), contact_id: contactId, user_id: 'user-ana' };

      // Act
      const result = await phone.say('dtmf:1', { attributes });

      // Assess
      expect(result.sessionState).toMatchObject({ sessionAttributes: attributes, dialogAction: { type: 'Close' }, intent: { state: 'Failed' } });
      expect(heard(result)).toContain('no pude confirmar quién llama');
      expect(phone.services.requests).toEqual([]);
    });

    it('refuses an expired token in the caller’s language', async () => {
      // Prepare
      const phone = call({ locale: 'en' });
      phone.clock.advance(2 * 60 * 60 * 1000 + 1000);

      // Act
      const result = await phone.say('What’s my balance?');

      // Assess
      expect(heard(result)).toBe('Sorry, I could not confirm who is calling, so I cannot help you on this call. Please call again or use the app.');
      expect(result.sessionState.dialogAction.type).toBe('Close');
    });
  });

  it('says the balance in words, as SSML, and keeps talking with the session attributes untouched', async () => {
    // Prepare
    const phone = call();
    const attributes = await phone.attributes();

    // Act
    const result = await phone.say('¿Cuál es mi saldo?');

    // Assess
    expect(result.sessionState).toEqual({ sessionAttributes: attributes, dialogAction: { type: 'ElicitIntent' } });
    expect(result.messages.every((m) => m.contentType === 'SSML' && m.content.startsWith('<speak>') && m.content.length <= 1000)).toBe(true);
    const said = heard(result);
    expect(said).toContain('ciento ochenta y cinco mil quinientos pesos con setenta y cinco centavos');
    expect(said).not.toMatch(/[\d$*]/);
    expect(phone.services.sent('BALANCE_QUERY').map((r) => r.detail.user_id)).toEqual(['user-ana']);
  });

  it('answers an English caller in English, in words', async () => {
    // Prepare
    const phone = call({ userId: 'user-carlos', locale: 'en' });

    // Act
    const result = await phone.say('What’s my balance?');

    // Assess
    expect(result.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(heard(result)).toContain('twenty-three thousand one hundred pesos');
    expect(heard(result)).not.toMatch(/[\d$]/);
  });

  it('speaks the verified caller’s language even when the bot’s locale says another, and says so in the log', async () => {
    // Prepare
    const phone = call({ locale: 'en', userId: 'user-carlos' });

    // Act
    const result = await phone.say('What’s my balance?', { localeId: 'es_419' });

    // Assess
    expect(heard(result)).toContain('twenty-three thousand one hundred pesos');
    expect(phone.logged.some(([level, message]) => level === 'warn' && message.includes('locale'))).toBe(true);
  });

  describe('a transfer read back to the caller', () => {
    it('moves the money once on the 1 key, and a second yes does nothing', async () => {
      // Prepare
      const phone = call();

      // Act
      const readBack = await phone.say('Transfiere cien pesos a mi hermano');
      const done = await phone.say('dtmf:1');
      const again = await phone.say('sí');
      const keyedAgain = await phone.say('dtmf:1');

      // Assess: the read-back, in words, then one transfer, for the verified caller.
      expect(readBack.sessionState.dialogAction.type).toBe('ElicitIntent');
      expect(heard(readBack)).toMatch(/^¿Transfiero cien pesos a Carlos García, hermano, cuenta con terminación tres nueve cinco cuatro, desde tu Cuenta Nómina con terminación cuatro ocho dos uno\? Di sí o marca uno\.$/);
      expect(moneyMoved(phone.services)).toHaveLength(1);
      expect(phone.services.sent('TRANSFER_REQUEST')[0]?.detail).toMatchObject({ user_id: 'user-ana', amount: 10000, currency: 'MXN', to_account_id: 'acc-carlos-nomina-3954' });
      expect(heard(done)).toContain('cien pesos');
      expect(done.sessionState.dialogAction.type).toBe('ElicitIntent');
      expect(heard(again)).toBe('No hay nada pendiente de confirmar.');
      expect(heard(keyedAgain)).toBe('No hay nada pendiente de confirmar.');
      expect([...phone.confirmations.items.values()].map((c) => c.status)).toEqual(['used']);
    });

    it('moves nothing when the caller declines, by voice or with the 2 key', async () => {
      for (const no of ['no', 'dtmf:2']) {
        // Prepare
        const phone = call();
        await phone.say('Transfiere cien pesos a mi hermano');

        // Act
        const declined = await phone.say(no);
        const lateYes = await phone.say('dtmf:1');

        // Assess
        expect(heard(declined)).toBe('De acuerdo, no hice nada.');
        expect(heard(lateYes)).toBe('No hay nada pendiente de confirmar.');
        expect(moneyMoved(phone.services)).toEqual([]);
        expect([...phone.confirmations.items.values()].map((c) => c.status)).toEqual(['cancelled']);
      }
    });

    it('is not confirmed by a yes once its confirmation expired', async () => {
      // Prepare
      const phone = call();
      await phone.say('Transfiere cien pesos a mi hermano');
      phone.clock.advance(6 * 60 * 1000);

      // Act
      const late = await phone.say('sí');

      // Assess
      expect(moneyMoved(phone.services)).toEqual([]);
      expect(heard(late)).toMatch(/expir|venci/i);
    });
  });

  it('acts only for the verified caller, whatever the caller claims to be', async () => {
    // Prepare
    const phone = call();
    const claims = { ...(await phone.attributes()), user_id: 'user-luis' };

    // Act
    const readBack = await phone.say('Soy Luis, transfiere de su cuenta quinientos pesos a mi hermano', { attributes: claims });
    await phone.say('dtmf:1', { attributes: claims });

    // Assess: every request names Ana, and the money leaves Ana's account.
    expect(heard(readBack)).toContain('desde tu');
    expect(phone.services.requests.map((r) => r.detail.user_id)).toEqual(phone.services.requests.map(() => 'user-ana'));
    expect(phone.services.sent('TRANSFER_REQUEST').map((r) => r.detail.from_account_id)).toEqual(['acc-ana-nomina-4821']);
  });

  it('locks a lost card by phone at once: “perdí mi tarjeta” locks it, says so, and a yes cancels and replaces it once', async () => {
    // Prepare
    const phone = call({ userId: 'user-luis' });

    // Act
    const readBack = await phone.say('Perdí mi tarjeta');
    const lockedBeforeYes = phone.services.sent('CARD_LOCK_REQUEST').map((r) => r.detail);
    const replacedBeforeYes = phone.services.sent('CARD_REPLACEMENT_REQUEST').length;
    const done = await phone.say('sí');

    // Assess
    expect(lockedBeforeYes).toEqual([expect.objectContaining({ card_id: 'card-luis-nomina', user_id: 'user-luis' })]);
    expect(replacedBeforeYes).toBe(0);
    expect(heard(readBack)).toBe('Bloqueé tu tarjeta con terminación siete siete ocho ocho para que nadie la use. ¿La cancelo y te envío una nueva a tu dirección registrada? La cancelación es definitiva. Di sí o marca uno.');
    expect(phone.services.sent('CARD_LOCK_REQUEST')).toHaveLength(1);
    expect(phone.services.sent('CARD_REPLACEMENT_REQUEST').map((r) => r.detail)).toEqual([expect.objectContaining({ card_id: 'card-luis-nomina', reason: 'lost', user_id: 'user-luis' })]);
    expect(heard(done)).not.toMatch(/\d/);
    expect(done.sessionState.dialogAction.type).toBe('ElicitIntent');
  });

  it('a caller who says no to replacing a lost card hears it stays locked and how to unlock it; nothing is replaced', async () => {
    // Prepare
    const phone = call({ userId: 'user-luis' });
    await phone.say('Perdí mi tarjeta');

    // Act
    const no = await phone.say('no');

    // Assess
    expect(heard(no)).toMatch(/^De acuerdo, no la cancelé\. Tu tarjeta con terminación siete siete ocho ocho sigue bloqueada; si la encuentras, pídeme .*desbloquea mi tarjeta con terminación siete siete ocho ocho/);
    expect(heard(no)).not.toMatch(/\d/);
    expect(phone.services.sent('CARD_LOCK_REQUEST')).toHaveLength(1);
    expect(phone.services.sent('CARD_REPLACEMENT_REQUEST')).toEqual([]);
  });

  it('a lost card whose lock fails is told, and nothing is asked or replaced', async () => {
    // Prepare
    const phone = call({ userId: 'user-luis', services: { CARD_LOCK_REQUEST: reply('CARD_OPERATION_FAILED', { reason: 'CARD.CUSTOMER_INACTIVE', message: 'customer is suspended' }) } });

    // Act
    const told = await phone.say('Perdí mi tarjeta');
    const yes = await phone.say('sí');

    // Assess
    expect(heard(told)).toContain('Tu perfil de cliente está suspendido');
    expect(heard(yes)).not.toContain('nueva');
    expect(phone.services.sent('CARD_REPLACEMENT_REQUEST')).toEqual([]);
  });

  it('does not do by phone what is above the caller’s MTU: it says the app’s approval is needed and nothing can confirm it', async () => {
    // Prepare
    const phone = call({ services: { BALANCE_QUERY: balancesWithMtu } });

    // Act
    const refused = await phone.say('Transfiere veinte mil pesos a mi hermano');
    const yes = await phone.say('dtmf:1');

    // Assess
    expect(heard(refused)).toContain('veinte mil pesos');
    expect(heard(refused)).toContain('tu app de Centli');
    expect(heard(refused)).toContain('no hice nada');
    expect(heard(refused)).not.toMatch(/https?|www|\.html/);
    expect(heard(yes)).toBe('No hay nada pendiente de confirmar.');
    expect(phone.confirmations.items.size).toBe(0);
    expect(moneyMoved(phone.services)).toEqual([]);
  });

  it('hangs up on a goodbye, declining a read-back left open', async () => {
    // Prepare
    const phone = call();
    await phone.say('Transfiere cien pesos a mi hermano');

    // Act
    const result = await phone.say('Adiós');

    // Assess
    expect(result.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent', state: 'Fulfilled' } });
    expect(heard(result)).toBe('Gracias por llamar a Centli. Hasta luego.');
    expect([...phone.confirmations.items.values()].map((c) => c.status)).toEqual(['cancelled']);
    expect(moneyMoved(phone.services)).toEqual([]);
  });

  it('tells a caller over their limit when to come back, and asks no service', async () => {
    // Prepare
    const phone = call({ rates: new FakeRateLimiter({ read: 1, write: 10 }) });
    await phone.say('¿Cuál es mi saldo?');

    // Act
    const limited = await phone.say('¿Cuál es mi saldo?');

    // Assess
    expect(limited.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(heard(limited)).toMatch(/segundo/);
    expect(phone.services.sent('BALANCE_QUERY')).toHaveLength(1);
  });
});
