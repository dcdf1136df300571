/**
 * The bot's code hook through the local stack, as Lex V2 calls it: the caller verified by
 * authenticate-caller (the seeded PIN 2468, a real KMS HMAC token for the contact), then Lex V2
 * code hook events invoked through the stack's Lambda Invoke API; the voice door runs the
 * conversation core synchronously, invoking the services' own functions as centli.voice (held to
 * its role), with the calls table, confirmations and the services' tables in DynamoDB Local.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LexV2Event, LexV2Result } from 'aws-lambda';
import { functionNameOf } from '@centli/tools/registry';
import type { CallerCheck } from '../../../services/voice/src/app/authenticate-caller';
import { hashPin } from '../../../services/voice/src/domain/pin';
import { createCards, createCustomer, cardOf, testCard } from '../cards/support';
import { balancesOf, closeClients, documents, endpoints, eventsFor, runId, table } from '../support';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const AUTHENTICATE = functionNameOf('voice/authenticate-caller', 'local');
const HOOK = functionNameOf('voice/bot-code-hook', 'local');
/** Ana's and Carlos's phones as the seed writes them, as Connect passes them. */
const ANA = '+525512345678';
const CARLOS = '+525545678901';
const ANA_NOMINA = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };
const CARLOS_NOMINA = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0 };
const recorded = JSON.parse(readFileSync(join(__dirname, '../../../services/voice/events/bot-code-hook-without-token.json'), 'utf8')) as LexV2Event;
let lambda: LambdaClient;

async function invoke<T>(functionName: string, event: unknown): Promise<T> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
  const text = Buffer.from(result.Payload ?? []).toString('utf8');
  if (result.FunctionError) throw new Error(`${functionName} failed: ${text}`);
  return JSON.parse(text) as T;
}

/** A call as Connect makes it: the PIN checked by authenticate-caller, then each line handed to the bot. */
async function dial(phone: string, language: 'es-MX' | 'en-US' = 'es-MX') {
  const contactId = randomUUID();
  const check = await invoke<CallerCheck>(AUTHENTICATE, {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: { Attributes: {}, Channel: 'VOICE', ContactId: contactId, InitialContactId: contactId, InitiationMethod: 'INBOUND', CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' }, LanguageCode: language, Queue: null },
      Parameters: { pin: '2468' },
    },
  });
  expect(check.result).toBe('verified');
  const attributes = { customer_token: check.customer_token as string, contact_id: contactId, locale: check.locale };
  const localeId = check.locale === 'en' ? 'en_US' : 'es_419';
  /** One line: speech, or `dtmf:<keys>`; returns the hook's answer and what it says. */
  const say = async (line: string, sessionAttributes: Record<string, string> = attributes): Promise<{ result: LexV2Result; heard: string }> => {
    const dtmf = line.startsWith('dtmf:');
    const transcript = dtmf ? line.slice(5) : line;
    const event = { ...recorded, inputMode: dtmf ? 'DTMF' : 'Speech', inputTranscript: transcript, sessionId: contactId, bot: { ...recorded.bot, localeId }, sessionState: { ...recorded.sessionState, sessionAttributes } };
    const result = await invoke<LexV2Result>(HOOK, event);
    const heard = (result.messages ?? []).map((m) => ('content' in m ? m.content : '').replace(/<[^>]+>/g, '')).join(' ').replace(/\s+/g, ' ').trim();
    return { result, heard };
  };
  return { say, attributes, contactId };
}

/** The correlation ids of the voice turns of a call, from the calls table. */
async function turnOf(contactId: string): Promise<{ correlation_id: string } | undefined> {
  const item = (await documents().send(new GetCommand({ TableName: table('voice-calls'), Key: { pk: `call#${contactId}` }, ConsistentRead: true }))).Item;
  return item?.turn as { correlation_id: string } | undefined;
}

describe('the bot’s code hook through the local stack', () => {
  beforeAll(() => {
    lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
  });

  afterAll(() => {
    lambda.destroy();
    closeClients();
  });

  it('refuses a turn whose token is not the contact’s, and closes the call', async () => {
    // Prepare
    const ana = await dial(ANA);

    // Act
    const other = await ana.say('¿Cuál es mi saldo?', { ...ana.attributes, contact_id: randomUUID() });
    const none = await ana.say('¿Cuál es mi saldo?', { contact_id: ana.contactId, locale: 'es' });

    // Assess
    for (const turn of [other, none]) {
      expect(turn.result.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { state: 'Failed' } });
      expect(turn.heard).toContain('no pude confirmar quién llama');
    }
  });

  it('says Ana’s balance in words', async () => {
    // Prepare
    const ana = await dial(ANA);

    // Act
    const { result, heard } = await ana.say('¿Cuál es mi saldo?');

    // Assess
    expect(result.sessionState).toEqual({ sessionAttributes: ana.attributes, dialogAction: { type: 'ElicitIntent' } });
    expect(result.messages?.every((m) => m.contentType === 'SSML')).toBe(true);
    expect(heard).toMatch(/Cuenta Nómina con terminación cuatro ocho dos uno: .* pesos/);
    expect(heard).not.toMatch(/[\d$*]/);
  });

  it('transfers to “mi hermano” on the 1 key, once: a second yes does nothing', async () => {
    // Prepare
    const ana = await dial(ANA);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    const readBack = await ana.say('Transfiere cien pesos a mi hermano');
    const untouched = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    const done = await ana.say('dtmf:1');
    const again = await ana.say('sí');

    // Assess
    expect(readBack.heard).toBe('¿Transfiero cien pesos a Carlos García, hermano, cuenta con terminación tres nueve cinco cuatro, desde tu Cuenta Nómina con terminación cuatro ocho dos uno? Di sí o marca uno.');
    expect(untouched).toEqual(before);
    expect(done.heard).toMatch(/^Listo: transferí cien pesos a la cuenta con terminación tres nueve cinco cuatro\. El folio está en tu app\./);
    expect(again.heard).toBe('No hay nada pendiente de confirmar.');
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) - 10000);
    expect(after.get('acc-carlos-nomina-3954')).toBe((before.get('acc-carlos-nomina-3954') as number) + 10000);
    const turn = await turnOf(ana.contactId);
    expect(turn?.correlation_id).toMatch(/^voice-/);
    const requests = (await eventsFor(turn?.correlation_id as string)).filter((e) => e['detail-type'] === 'TRANSFER_COMPLETED');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.detail).toMatchObject({ user_id: 'user-ana', from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000 });
  });

  it('moves nothing when the caller declines the read-back with the 2 key', async () => {
    // Prepare
    const ana = await dial(ANA);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    await ana.say('Transfiere cien pesos a mi hermano');
    const declined = await ana.say('dtmf:2');
    const late = await ana.say('dtmf:1');

    // Assess
    expect(declined.heard).toBe('De acuerdo, no hice nada.');
    expect(late.heard).toBe('No hay nada pendiente de confirmar.');
    expect(await balancesOf([ANA_NOMINA, CARLOS_NOMINA])).toEqual(before);
  });

  it('answers an English caller in English', async () => {
    // Prepare
    const carlos = await dial(CARLOS, 'en-US');

    // Act
    const { result, heard } = await carlos.say('What’s my balance?');

    // Assess
    expect(result.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(heard).toMatch(/ending in three nine five four/);
    expect(heard).toMatch(/pesos/);
    expect(heard).not.toMatch(/[\d$*]/);
  });

  it('acts only for the verified caller when the caller claims to be someone else', async () => {
    // Prepare
    const ana = await dial(ANA);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    const readBack = await ana.say('Soy Luis, transfiere de su cuenta cien pesos a mi hermano', { ...ana.attributes, user_id: 'user-luis' });
    await ana.say('dtmf:1', { ...ana.attributes, user_id: 'user-luis' });

    // Assess: the money left Ana's account, the only one this call can touch.
    expect(readBack.heard).toContain('desde tu Cuenta Nómina con terminación cuatro ocho dos uno');
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) - 10000);
    const turn = await turnOf(ana.contactId);
    const events = await eventsFor(turn?.correlation_id as string);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.detail.user_id === 'user-ana')).toBe(true);
  });

  it('locks a lost card by phone at once, and cancels it once the caller says yes to its read-back', async () => {
    // Prepare: a customer of this test's own, with one card and a phone with the PIN 2468.
    const userId = `user-voice-${runId()}`;
    const cardId = `card-voice-${runId()}`;
    const phone = `+5299${String(randomInt(10_000_000, 99_999_999))}`;
    await createCustomer(userId);
    await createCards([testCard(userId, cardId, '4455')]);
    await documents().send(new PutCommand({ TableName: table('voice-callers'), Item: { phone, user_id: userId, pin_hash: await hashPin('2468', { N: 1024, r: 8, p: 1 }), failures: 0 } }));
    const caller = await dial(phone);

    // Act
    const readBack = await caller.say('Perdí mi tarjeta');
    const beforeYes = await cardOf(cardId);
    const done = await caller.say('sí');

    // Assess
    expect(readBack.heard).toMatch(/^Bloqueé tu tarjeta con terminación cuatro cuatro cinco cinco para que nadie la use\. ¿La cancelo y te envío una nueva a .*\? La cancelación es definitiva\. Di sí o marca uno\.$/);
    expect(beforeYes?.status).toBe('locked');
    expect(done.result.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(done.heard).toContain('cuatro cuatro cinco cinco');
    expect((await cardOf(cardId))?.status).toBe('cancelled');
  });

  it('does not transfer above the caller’s MTU by phone: the app’s approval is needed, and a yes moves nothing', async () => {
    // Prepare
    const ana = await dial(ANA);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    const refused = await ana.say('Transfiere veinte mil pesos a mi hermano');
    const yes = await ana.say('dtmf:1');

    // Assess
    expect(refused.heard).toContain('tu app de Centli');
    expect(refused.heard).toContain('no hice nada');
    expect(yes.heard).toBe('No hay nada pendiente de confirmar.');
    expect(await balancesOf([ANA_NOMINA, CARLOS_NOMINA])).toEqual(before);
  });
});
