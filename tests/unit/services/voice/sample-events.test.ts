/**
 * The sample events in services/voice/events are what `sls invoke local` sends: for
 * authenticate-caller, Amazon Connect's ContactFlowEvent as its "Invoke AWS Lambda function" block
 * sends it, one per answer; for bot-code-hook, a Lex V2 code hook event of the documented shape
 * with the session attributes the contact flow sets (a token no stack's key made, so each is
 * refused the same way against any running stack).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toE164 } from '../../../../services/voice/src/domain/phone';

const dir = join(__dirname, '../../../../services/voice/events');
const all = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>] as const);
const samples = all.filter(([file]) => file.startsWith('authenticate-caller-'));
const botSamples = all.filter(([file]) => file.startsWith('bot-code-hook-'));
const customers = JSON.parse(readFileSync(join(__dirname, '../../../../seed/data/customers.json'), 'utf8')) as { phone: string }[];
const seededPhones = new Set(customers.map((customer) => toE164(customer.phone)));

describe('services/voice/events', () => {
  it.each(samples)('%s is a ContactFlowEvent with a caller id in E.164, a contact id and the PIN as a flow parameter', (_file, event) => {
    // Assess
    expect(event).toMatchObject({
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: { ContactId: expect.stringMatching(/^[0-9a-f-]{36}$/), Channel: 'VOICE', CustomerEndpoint: { Address: expect.stringMatching(/^\+\d{8,15}$/), Type: 'TELEPHONE_NUMBER' } },
        Parameters: { pin: expect.stringMatching(/^\d{4,8}$/) },
      },
    });
  });

  it('has a seeded customer with the seeded PIN, a wrong PIN, an unknown number and an English caller', () => {
    // Prepare
    const byFile = new Map(samples);
    const address = (file: string) => ((byFile.get(file)?.Details as { ContactData: { CustomerEndpoint: { Address: string } } }).ContactData.CustomerEndpoint.Address);
    const pin = (file: string) => ((byFile.get(file)?.Details as { Parameters: { pin: string } }).Parameters.pin);

    // Assess
    expect([...byFile.keys()].sort()).toEqual(['authenticate-caller-english.json', 'authenticate-caller-unknown-number.json', 'authenticate-caller-verified.json', 'authenticate-caller-wrong-pin.json']);
    expect(seededPhones.has(address('authenticate-caller-verified.json'))).toBe(true);
    expect(pin('authenticate-caller-verified.json')).toBe('2468');
    expect(pin('authenticate-caller-wrong-pin.json')).not.toBe('2468');
    expect(seededPhones.has(address('authenticate-caller-unknown-number.json'))).toBe(false);
    expect(((byFile.get('authenticate-caller-english.json')?.Details as { ContactData: { LanguageCode: string } }).ContactData.LanguageCode)).toBe('en-US');
  });

  it('holds events of the service’s functions only', () => {
    expect(all.map(([file]) => file).filter((file) => !file.startsWith('authenticate-caller-') && !file.startsWith('bot-code-hook-'))).toEqual([]);
  });

  it.each(botSamples)('%s is a Lex V2 code hook event with the contact flow’s session attributes', (_file, event) => {
    // Assess: the documented shape, and the contact id and locale the flow sets.
    expect(event).toMatchObject({
      messageVersion: '1.0',
      invocationSource: 'DialogCodeHook',
      inputMode: expect.stringMatching(/^(DTMF|Speech|Text)$/),
      sessionId: expect.any(String),
      inputTranscript: expect.any(String),
      bot: { id: expect.any(String), name: expect.any(String), aliasId: expect.any(String), aliasName: expect.any(String), localeId: expect.stringMatching(/^(es_419|en_US)$/), version: expect.any(String) },
      interpretations: expect.arrayContaining([expect.objectContaining({ intent: expect.objectContaining({ name: expect.any(String), state: expect.any(String) }) })]),
      sessionState: {
        sessionAttributes: { contact_id: expect.stringMatching(/^[0-9a-f-]{36}$/), locale: expect.stringMatching(/^(es|en)$/) },
        intent: { name: expect.any(String), state: expect.any(String), confirmationState: 'None' },
        originatingRequestId: expect.any(String),
      },
    });
  });

  it('has a code hook turn without a token, one with a bad token on the keypad, and an English one', () => {
    // Prepare
    const byFile = new Map(botSamples);
    const attributes = (file: string) => (byFile.get(file)?.sessionState as { sessionAttributes: Record<string, string> }).sessionAttributes;

    // Assess
    expect([...byFile.keys()].sort()).toEqual(['bot-code-hook-bad-token.json', 'bot-code-hook-english-without-token.json', 'bot-code-hook-without-token.json']);
    expect(attributes('bot-code-hook-without-token.json').customer_token).toBeUndefined();
    expect(attributes('bot-code-hook-bad-token.json').customer_token).toEqual(expect.any(String));
    expect(byFile.get('bot-code-hook-bad-token.json')).toMatchObject({ inputMode: 'DTMF', inputTranscript: '1' });
    expect(byFile.get('bot-code-hook-english-without-token.json')).toMatchObject({ bot: { localeId: 'en_US' }, sessionState: { sessionAttributes: { locale: 'en' } } });
  });
});
