/**
 * The voice channel's caller check through the local stack, as Amazon Connect's contact flow calls
 * it: Connect-shaped ContactFlowEvents invoked through the stack's Lambda Invoke API, the voice
 * tables in DynamoDB Local (made from services/voice/serverless.yml, the seeded customers' PIN
 * 2468 loaded by seed/load.ts) and the token checked with the stack's KMS HMAC key.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { IdentityMac } from '@centli/kit/identity-mac';
import { functionNameOf } from '@centli/tools/registry';
import type { CallerCheck } from '../../../services/voice/src/app/authenticate-caller';
import { verifyCallerIdentity } from '../../../services/voice/src/app/verify-caller-identity';
import { hashPin } from '../../../services/voice/src/domain/pin';
import { closeClients, documents, endpoints, table } from '../support';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const FUNCTION = functionNameOf('voice/authenticate-caller', 'local');
/** Ana's phone as the seed writes it ("+52 55 1234 5678"), as Connect passes it. */
const ANA = '+525512345678';
let lambda: LambdaClient;
let kms: KMSClient;

function contactFlowEvent(address: string, pin: string, contactId: string) {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: contactId,
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        CustomerEndpoint: { Address: address, Type: 'TELEPHONE_NUMBER' },
        SystemEndpoint: { Address: '+525500000000', Type: 'TELEPHONE_NUMBER' },
        LanguageCode: 'es-MX',
        Queue: null,
      },
      Parameters: { pin },
    },
  };
}

async function call(address: string, pin: string, contactId?: string): Promise<CallerCheck> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: JSON.stringify(contactFlowEvent(address, pin, contactId ?? randomUUID())) }));
  const text = Buffer.from(result.Payload ?? []).toString('utf8');
  if (result.FunctionError) throw new Error(`authenticate-caller failed: ${text}`);
  return JSON.parse(text) as CallerCheck;
}

/** A phone of this test's own, PIN 2468, with cheap scrypt parameters (the function reads them from the hash). */
async function newCaller(userId = 'user-mateo'): Promise<string> {
  const phone = `+5299${String(randomInt(10_000_000, 99_999_999))}`;
  await documents().send(new PutCommand({ TableName: table('voice-callers'), Item: { phone, user_id: userId, pin_hash: await hashPin('2468', { N: 1024, r: 8, p: 1 }), failures: 0 } }));
  return phone;
}

const callerItem = async (phone: string) => (await documents().send(new GetCommand({ TableName: table('voice-callers'), Key: { phone }, ConsistentRead: true }))).Item;
const attemptsOf = async (phone: string) =>
  ((await documents().send(new QueryCommand({ TableName: table('voice-attempts'), KeyConditionExpression: 'phone = :p', ExpressionAttributeValues: { ':p': phone }, ConsistentRead: true }))).Items ?? []);

describe('authenticate-caller through the local stack', () => {
  beforeAll(() => {
    lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
    kms = new KMSClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
  });

  afterAll(() => {
    lambda.destroy();
    kms.destroy();
    closeClients();
  });

  it('verifies a seeded customer calling from their phone with the seeded PIN 2468, with a token that verifies for that contact only', async () => {
    // Prepare
    const contactId = randomUUID();
    const mac = new IdentityMac('alias/centli-caller-identity-local', kms);

    // Act
    const answer = await call(ANA, '2468', contactId);

    // Assess
    expect(answer).toEqual({ result: 'verified', attempts_left: '3', customer_token: expect.any(String), locale: 'es' });
    expect(Object.values(answer).every((value) => typeof value === 'string')).toBe(true);
    expect(await verifyCallerIdentity(answer.customer_token, contactId, { mac, now: () => new Date() })).toEqual({ user_id: 'user-ana', locale: 'es' });
    expect(await verifyCallerIdentity(answer.customer_token, randomUUID(), { mac, now: () => new Date() })).toBeUndefined();
    expect((await callerItem(ANA))?.pin_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('locks the phone on the third wrong PIN, tells a fourth call with the right PIN it is locked, and records every attempt', async () => {
    // Prepare
    const phone = await newCaller();

    // Act
    const answers: CallerCheck[] = [];
    for (const pin of ['1111', '2222', '3333', '2468']) answers.push(await call(phone, pin));

    // Assess
    expect(answers.map((a) => [a.result, a.attempts_left])).toEqual([['wrong_pin', '2'], ['wrong_pin', '1'], ['locked', '0'], ['locked', '0']]);
    const lockedUntil = Date.parse(answers[3]?.locked_until ?? '');
    expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(lockedUntil - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(answers[3]?.customer_token).toBeUndefined();
    expect(await callerItem(phone)).toMatchObject({ failures: 3, locked_until: answers[3]?.locked_until });
    const attempts = await attemptsOf(phone);
    expect(attempts.map((a) => a.outcome).sort()).toEqual(['locked', 'locked', 'wrong_pin', 'wrong_pin']);
    expect(attempts.every((a) => typeof a.ttl === 'number' && typeof a.contact_id === 'string')).toBe(true);
  });

  it('never counts more than three failures when wrong PINs arrive at once', async () => {
    // Prepare
    const phone = await newCaller();

    // Act
    const answers = await Promise.all(['1', '2', '3', '4', '5', '6'].map((digit) => call(phone, digit.repeat(4))));

    // Assess
    expect((await callerItem(phone))?.failures).toBe(3);
    expect(answers.filter((a) => a.result === 'wrong_pin').length).toBeLessThanOrEqual(2);
    expect(answers.filter((a) => a.result === 'locked').length).toBeGreaterThanOrEqual(4);
    expect(await call(phone, '2468')).toMatchObject({ result: 'locked' });
    expect(await attemptsOf(phone)).toHaveLength(7);
  });

  it('tells an unknown number nothing about any account, and records the attempt', async () => {
    // Prepare
    const phone = `+5298${String(randomInt(10_000_000, 99_999_999))}`;

    // Act
    const answer = await call(phone, '2468');

    // Assess
    expect(answer).toEqual({ result: 'unknown_caller', locale: 'es', message: expect.stringContaining('no puedo atenderte desde este número') });
    expect(answer.message).not.toMatch(/cuenta|saldo|NIP|intento/i);
    expect(await attemptsOf(phone)).toEqual([expect.objectContaining({ phone, outcome: 'unknown_caller' })]);
  });
});
