import { authenticateCaller, localeOfContact, type ContactFlowEvent } from '../../../../../services/voice/src/app/authenticate-caller';
import { verifyCallerIdentity } from '../../../../../services/voice/src/app/verify-caller-identity';
import { fakeMac, fastHash, MemoryCallerStore, NOW } from '../fakes';

const PHONE = '+525512345678';
const CONTACT = 'c0ffee00-0000-4000-8000-000000000002';

function callFrom(address: string | undefined, pin: string | undefined, extra: Partial<NonNullable<ContactFlowEvent['Details']>['ContactData']> = {}): ContactFlowEvent {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: { ContactId: CONTACT, CustomerEndpoint: address === undefined ? null : { Address: address, Type: 'TELEPHONE_NUMBER' }, Attributes: {}, ...extra },
      Parameters: pin === undefined ? {} : { pin },
    },
  };
}

async function setUp() {
  const store = new MemoryCallerStore();
  store.callers.set(PHONE, { phone: PHONE, user_id: 'user-ana', pin_hash: await fastHash('2468'), failures: 0 });
  let now = NOW;
  const mac = fakeMac();
  return { store, mac, deps: { store, mac, now: () => now }, advance: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)) };
}

describe('authenticateCaller', () => {
  it('verifies the right PIN from the customer’s phone and answers a flat map of strings with a token for this contact', async () => {
    // Prepare
    const { deps, mac, store } = await setUp();

    // Act
    const answer = await authenticateCaller(callFrom(PHONE, '2468'), deps);

    // Assess
    expect(answer).toEqual({ result: 'verified', attempts_left: '3', customer_token: expect.any(String), locale: 'es' });
    expect(Object.values(answer).every((value) => typeof value === 'string')).toBe(true);
    expect(await verifyCallerIdentity(answer.customer_token, CONTACT, { mac, now: () => NOW })).toEqual({ user_id: 'user-ana', locale: 'es' });
    expect(store.attempts).toEqual([{ phone: PHONE, contact_id: CONTACT, outcome: 'verified', attempted_at: NOW.toISOString() }]);
  });

  it('locks the phone on the third wrong PIN, and a fourth call with the right PIN is told it is locked', async () => {
    // Prepare
    const { deps, store } = await setUp();

    // Act
    const answers = [];
    for (const pin of ['1111', '2222', '3333', '2468']) answers.push(await authenticateCaller(callFrom(PHONE, pin), deps));

    // Assess
    expect(answers.map((a) => [a.result, a.attempts_left])).toEqual([['wrong_pin', '2'], ['wrong_pin', '1'], ['locked', '0'], ['locked', '0']]);
    expect(answers[3]).toEqual({ result: 'locked', attempts_left: '0', locked_until: '2026-12-06T12:15:00.000Z', locale: 'es', message: expect.stringContaining('bloqueado') });
    expect(answers[0]?.message).toBe('Ese NIP no es correcto. Te quedan 2 intentos.');
    expect(answers[1]?.message).toBe('Ese NIP no es correcto. Te queda un intento.');
    expect(answers[3]?.customer_token).toBeUndefined();
    expect(store.attempts.map((a) => a.outcome)).toEqual(['wrong_pin', 'wrong_pin', 'locked', 'locked']);
  });

  it('lets the right PIN through once the fifteen minutes are over, and a success starts the count again', async () => {
    // Prepare
    const { deps, store, advance } = await setUp();
    for (const pin of ['1111', '2222', '3333']) await authenticateCaller(callFrom(PHONE, pin), deps);
    advance(15);

    // Act
    const answer = await authenticateCaller(callFrom(PHONE, '2468'), deps);
    const next = await authenticateCaller(callFrom(PHONE, '0000'), deps);

    // Assess
    expect(answer.result).toBe('verified');
    expect(next).toMatchObject({ result: 'wrong_pin', attempts_left: '2' });
    expect(store.callers.get(PHONE)).toMatchObject({ failures: 1 });
    expect(store.callers.get(PHONE)?.locked_until).toBeUndefined();
  });

  it('never counts more than three failures, however many wrong PINs arrive at once', async () => {
    // Prepare
    const { deps, store } = await setUp();

    // Act
    const answers = await Promise.all(['1', '2', '3', '4', '5', '6', '7', '8'].map((digit) => authenticateCaller(callFrom(PHONE, digit.repeat(4)), deps)));

    // Assess
    expect(store.callers.get(PHONE)?.failures).toBe(3);
    expect(answers.filter((a) => a.result === 'wrong_pin')).toHaveLength(2);
    expect(answers.filter((a) => a.result === 'locked')).toHaveLength(6);
    expect(store.attempts).toHaveLength(8);
  });

  it.each([['+52 55 9999 0000'], ['anonymous'], [undefined]])('tells an unknown number (%s) nothing about any account, and records the attempt', async (address) => {
    // Prepare
    const { deps, store } = await setUp();

    // Act
    const answer = await authenticateCaller(callFrom(address, '2468'), deps);

    // Assess
    expect(answer).toEqual({ result: 'unknown_caller', locale: 'es', message: 'Lo siento, no puedo atenderte desde este número. Llama desde el teléfono que registraste con nosotros o usa la aplicación.' });
    expect(store.attempts).toEqual([expect.objectContaining({ outcome: 'unknown_caller', contact_id: CONTACT })]);
  });

  it('counts a missing or malformed PIN as a wrong one', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const missing = await authenticateCaller(callFrom(PHONE, undefined), deps);
    const letters = await authenticateCaller(callFrom(PHONE, '24a8'), deps);

    // Assess
    expect([missing.result, letters.result, letters.attempts_left]).toEqual(['wrong_pin', 'wrong_pin', '1']);
  });

  it('takes who the caller is from the caller id alone: attributes and parameters change nothing', async () => {
    // Prepare
    const { deps, mac } = await setUp();
    const event = callFrom(PHONE, '2468', { Attributes: { user_id: 'user-luis', customer_token: 'forged' } });
    (event.Details as { Parameters: Record<string, string> }).Parameters.user_id = 'user-luis';

    // Act
    const answer = await authenticateCaller(event, deps);

    // Assess
    expect(await verifyCallerIdentity(answer.customer_token, CONTACT, { mac, now: () => NOW })).toEqual({ user_id: 'user-ana', locale: 'es' });
  });
});

describe('an event that is not Connect’s', () => {
  it.each([[undefined], [''], ['a b'], ['x'.repeat(129)]])('is refused outright with the contact id %s, and verifies nobody', async (contactId) => {
    // Prepare
    const { deps, store } = await setUp();

    // Act & Assess
    await expect(authenticateCaller(callFrom(PHONE, '2468', { ContactId: contactId as string }), deps)).rejects.toThrow(/no ContactId/);
    expect(store.attempts).toEqual([]);
  });
});

describe('what a caller who is not verified hears', () => {
  it('is said in English to an English contact, and names when the lock ends in the bank’s time', async () => {
    // Prepare
    const { deps } = await setUp();
    const english = (pin: string) => callFrom(PHONE, pin, { LanguageCode: 'en-US' });

    // Act
    const answers = [];
    for (const pin of ['1111', '2222', '3333']) answers.push(await authenticateCaller(english(pin), deps));

    // Assess
    expect(answers.map((a) => a.message)).toEqual([
      'That PIN is not correct. You have 2 tries left.',
      'That PIN is not correct. You have one try left.',
      expect.stringMatching(/^For your security, this phone is locked after several wrong PINs\. Please try again after Dec 6, 2026, 6:15\sAM, or use the app\.$/),
    ]);
  });
});

describe('localeOfContact', () => {
  it.each([
    [{ Details: { ContactData: { LanguageCode: 'en-US' } } }, 'en'],
    [{ Details: { ContactData: { LanguageCode: 'es-MX' } } }, 'es'],
    [{ Details: { ContactData: { LanguageCode: 'es-MX' }, Parameters: { locale: 'en' } } }, 'en'],
    [{}, 'es'],
  ])('reads %j as %s', (event, locale) => {
    // Act & Assess
    expect(localeOfContact(event as ContactFlowEvent)).toBe(locale);
  });
});
