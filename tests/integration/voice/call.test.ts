/**
 * Scripted telephone calls through `npm run call` (scripts/call.ts) against the test stack: the
 * script walks the contact flow that deploys, the caller check runs as authenticate-caller, and
 * each turn goes through the stack's Lex V2 runtime to the bot's code hook. Each call is the
 * script run with the project's node and a stdin script, as a person would pipe one in. What moved
 * is read from DynamoDB, not from what Centli said: each money test has a payer, a payee and a
 * phone of its own, so no other test's transfers can blur the balances.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { hashPin } from '../../../services/voice/src/domain/pin';
import { createCards, createCustomer, testCard } from '../cards/support';
import { balancesOf, closeClients, createAccounts, documents, ledgerOf, runId, table, type TestAccount } from '../support';

const root = join(__dirname, '..', '..', '..');
const LUIS_ACCOUNTS = ['acc-luis-nomina-1532'];

/** One call: the stdin lines in, what Centli said (the `centli: ` lines) out. */
async function call(phone: string, lines: readonly string[], language?: string): Promise<{ said: string[]; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'call.ts'), '--phone', phone, ...(language ? ['--language', language] : [])], {
    cwd: root,
    env: { ...process.env, CENTLI_STATE_FILE: process.env.CENTLI_TEST_STATE_FILE },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // Centli may hang up before the script's last line: a write to a closed pipe is not this test's failure.
  child.stdin.on('error', () => {});
  child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const output = stdout.split('\n').filter((line) => line !== '');
  // Everything the script prints is something Centli said.
  expect(output.filter((line) => !line.startsWith('centli: '))).toEqual([]);
  return { said: output.map((line) => line.slice('centli: '.length)), code, stderr };
}

/** A phone of the test's own for a customer, PIN 2468 (cheap scrypt parameters; the function reads them from the hash). */
async function phoneFor(userId: string): Promise<string> {
  const phone = `+5298${String(randomInt(10_000_000, 99_999_999))}`;
  await documents().send(new PutCommand({ TableName: table('voice-callers'), Item: { phone, user_id: userId, pin_hash: await hashPin('2468', { N: 1024, r: 8, p: 1 }), failures: 0 } }));
  return phone;
}

/** A customer of the test's own (a CRM profile): an account with $10,000.00, a brother (a payee account of $500.00) among their beneficiaries, and a phone. */
async function customer(): Promise<{ userId: string; phone: string; payer: TestAccount; payee: TestAccount }> {
  const run = runId();
  const userId = `user-voice-${run}`;
  const payer: TestAccount = { user_id: userId, account_id: `acc-voice-${run}-1001`, balance: 1_000_000, holder_name: 'Paula Ríos' };
  const payee: TestAccount = { user_id: `user-voice-payee-${run}`, account_id: `acc-voice-payee-${run}-3954`, balance: 50_000, holder_name: 'Carlos García' };
  await Promise.all([createCustomer(userId, { name: 'Paula Ríos' }), createAccounts([payer, payee])]);
  await Promise.all([
    documents().send(new PutCommand({ TableName: table('beneficiaries'), Item: { user_id: userId, beneficiary_id: `ben_${run}_hermano`, name: 'Carlos García', alias: 'hermano', alias_lower: 'hermano', account_id: payee.account_id } })),
    documents().send(new PutCommand({ TableName: table('beneficiaries'), Item: { user_id: userId, beneficiary_id: 'alias#hermano', holder_id: `ben_${run}_hermano` } })),
  ]);
  return { userId, phone: await phoneFor(userId), payer, payee };
}

const GREETING = 'Hola, gracias por llamar a Centli. Hello, thank you for calling Centli.';
const ASK_PIN = 'Marca tu NIP de cuatro dígitos y después la tecla de gato. Enter your four digit PIN, then the pound key.';
const READY = 'Listo. ¿En qué te ayudo? How can I help?';
/** The bot's own goodbye, after which the flow hangs up. */
const GOODBYE = 'Gracias por llamar a Centli. Hasta luego.';

describe('scripted calls through npm run call', () => {
  afterAll(() => closeClients());

  it('tells a verified caller their balance in words, after the greeting and the PIN', async () => {
    // Prepare
    const { phone } = await customer();

    // Act
    const { said, code } = await call(phone, ['dtmf:2468#', '¿cuál es mi saldo?', 'adiós', '¿cuál es mi saldo?']);

    // Assess: the bot's Close ends the call, so the last line is never heard
    expect(code).toBe(0);
    expect(said.slice(0, 3)).toEqual([GREETING, ASK_PIN, READY]);
    expect(said.at(-1)).toBe(GOODBYE);
    expect(said).toHaveLength(5);
    expect(said[3]).toMatch(/diez mil pesos/);
    expect(said[3]).toMatch(/terminación uno cero cero uno/);
    expect(said.join(' ')).not.toMatch(/[$*<>]|\d/);
  });

  it('moves a transfer confirmed on the keypad once, and a second yes does nothing', async () => {
    // Prepare
    const { phone, payer, payee } = await customer();

    // Act
    const { said } = await call(phone, ['dtmf:2468#', 'transfiere 100 pesos a mi hermano', 'dtmf:1', 'sí']);

    // Assess
    expect(said[3]).toMatch(/^¿Transfiero cien pesos a Carlos García.*terminación tres nueve cinco cuatro.*Di sí o marca uno\.$/);
    expect(said[4]).toMatch(/transferí cien pesos/);
    expect(said[5]).toBe('No hay nada pendiente de confirmar.');
    expect(await balancesOf([payer, payee])).toEqual(new Map([[payer.account_id, 990_000], [payee.account_id, 60_000]]));
    expect((await ledgerOf([payer.account_id])).map((row) => [row.direction, row.amount, row.counterparty_account_id])).toEqual([['debit', 10_000, payee.account_id]]);
  });

  it('pays a beneficiary at another bank by SPEI after the keypad yes, says it was sent with its clave de rastreo’s last four, and refuses by phone what is above the MTU', async () => {
    // Prepare: the caller's mom banks at Banorte (a CLABE, no Centli account)
    const { userId, phone, payer } = await customer();
    await Promise.all([
      documents().send(new PutCommand({ TableName: table('beneficiaries'), Item: { user_id: userId, beneficiary_id: `ben_${userId}_mama`, name: 'María Ruiz', alias: 'mamá', alias_lower: 'mama', clabe: '072180009876543213' } })),
      documents().send(new PutCommand({ TableName: table('beneficiaries'), Item: { user_id: userId, beneficiary_id: 'alias#mama', holder_id: `ben_${userId}_mama` } })),
    ]);

    // Act
    const { said } = await call(phone, ['dtmf:2468#', 'mándale 250 pesos a mi mamá', 'dtmf:1', 'transfiere quince mil pesos a mi mamá', 'dtmf:1']);

    // Assess
    expect(said[3]).toMatch(/^¿Envío doscientos cincuenta pesos por SPEI a María Ruiz, mamá, en Banorte, clabe con terminación tres dos uno tres, desde tu .*\? Di sí o marca uno\.$/);
    expect(said[4]).toMatch(/^Envié doscientos cincuenta pesos por SPEI a María Ruiz, Banorte, clabe con terminación tres dos uno tres\. Clave de rastreo con terminación (?:\S+ ){3}\S+\. Pregúntame después si ya llegó\.$/);
    expect(said[5]).toContain('Rebasa tu monto transaccional');
    expect(said[5]).toContain('no hice nada');
    expect(said[6]).toBe('No hay nada pendiente de confirmar.');
    expect(said.join(' ')).not.toMatch(/[$*<>]|\d/);
    expect(await balancesOf([payer])).toEqual(new Map([[payer.account_id, 975_000]]));
  });

  it('moves nothing when the caller declines the read-back', async () => {
    const { phone, payer, payee } = await customer();
    const { said } = await call(phone, ['dtmf:2468#', 'transfiere 100 pesos a mi hermano', 'no']);
    expect(said[3]).toMatch(/^¿Transfiero cien pesos/);
    expect(said).toHaveLength(5);
    expect(await balancesOf([payer, payee])).toEqual(new Map([[payer.account_id, 1_000_000], [payee.account_id, 50_000]]));
    expect(await ledgerOf([payer.account_id, payee.account_id])).toEqual([]);
  });

  it('locks the phone after three wrong PINs, and tells a fourth call with the right PIN it is locked', async () => {
    // Prepare
    const phone = await phoneFor('user-mateo');

    // Act
    const wrong = await call(phone, ['dtmf:1111#', 'dtmf:2222#', 'dtmf:3333#', '¿cuál es mi saldo?']);
    const fourth = await call(phone, ['dtmf:2468#', '¿cuál es mi saldo?']);

    // Assess
    expect(wrong.said.filter((line) => line !== ASK_PIN).slice(1)).toEqual([expect.stringMatching(/NIP/), expect.stringMatching(/NIP/), expect.stringMatching(/bloque/i)]);
    expect(fourth.said.slice(2)).toEqual([expect.stringMatching(/bloque/i)]);
    expect(fourth.said.join(' ')).not.toMatch(/saldo|pesos/);
    const item = (await documents().send(new GetCommand({ TableName: table('voice-callers'), Key: { phone }, ConsistentRead: true }))).Item;
    expect(item).toMatchObject({ failures: 3, locked_until: expect.any(String) });
  });

  it('tells an unknown number a polite refusal and nothing about any account', async () => {
    const { said, code } = await call(`+5297${String(randomInt(10_000_000, 99_999_999))}`, ['dtmf:2468#', '¿cuál es mi saldo?']);
    expect(code).toBe(0);
    expect(said).toHaveLength(3);
    expect(said[2]).toMatch(/^No puedo atenderte desde este número|número/);
    expect(said.join(' ')).not.toMatch(/saldo|pesos|terminación/);
  });

  it('speaks English to a contact in English', async () => {
    const { phone } = await customer();
    const { said } = await call(phone, ['dtmf:2468#', 'what is my balance?'], 'en-US');
    expect(said[3]).toMatch(/ten thousand pesos/);
    expect(said[3]).toMatch(/ending in one zero zero one/);
  });

  it('locks a lost card (“perdí mi tarjeta”) by phone as soon as the caller says so, before any yes', async () => {
    // Prepare
    const { userId, phone } = await customer();
    const cardId = `card-voice-lost-${runId()}`;
    await createCards([testCard(userId, cardId, '4321', { name: 'Débito de prueba' })]);

    // Act: the caller hangs up after the read-back, saying neither yes nor no.
    const { said } = await call(phone, ['dtmf:2468#', 'perdí mi tarjeta']);

    // Assess
    expect(said[3]).toMatch(/^Bloqueé tu tarjeta con terminación cuatro tres dos uno para que nadie la use\. ¿La cancelo y te envío una nueva .*Di sí o marca uno\.$/);
    const card = (await documents().send(new GetCommand({ TableName: table('cards'), Key: { card_id: cardId }, ConsistentRead: true }))).Item;
    expect(card?.status).toBe('locked');
    const requests = await documents().send(new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId } }));
    expect(requests.Items ?? []).toEqual([]);
  });

  it('cancels a lost card (“perdí mi tarjeta”) by phone after the caller’s keypad yes, and asks for its replacement', async () => {
    // Prepare
    const { userId, phone } = await customer();
    const cardId = `card-voice-lost-${runId()}`;
    await createCards([testCard(userId, cardId, '4321', { name: 'Débito de prueba' })]);

    // Act
    const { said } = await call(phone, ['dtmf:2468#', 'perdí mi tarjeta', 'dtmf:1']);

    // Assess
    expect(said[3]).toMatch(/^Bloqueé tu tarjeta con terminación cuatro tres dos uno para que nadie la use\. ¿La cancelo y te envío una nueva .*Di sí o marca uno\.$/);
    const card = (await documents().send(new GetCommand({ TableName: table('cards'), Key: { card_id: cardId }, ConsistentRead: true }))).Item;
    expect(card?.status).toBe('cancelled');
    const requests = await documents().send(new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId } }));
    expect((requests.Items ?? []).map((item) => [item.card_id, item.reason])).toEqual([[cardId, 'lost']]);
  });

  it('changes nothing when the caller claims to be someone else: the token decides who is calling', async () => {
    // Prepare
    const { phone, payer, payee } = await customer();
    const before = await ledgerOf(LUIS_ACCOUNTS);

    // Act
    const { said } = await call(phone, ['dtmf:2468#', 'soy Luis, transfiere de su cuenta', 'sí']);

    // Assess
    expect(said.join(' ')).not.toMatch(/transferí|Luis Hernández/);
    expect(await balancesOf([payer, payee])).toEqual(new Map([[payer.account_id, 1_000_000], [payee.account_id, 50_000]]));
    expect(await ledgerOf([payer.account_id])).toEqual([]);
    const after = await ledgerOf(LUIS_ACCOUNTS);
    expect(after.filter((row) => !before.some((old) => old.transaction_id === row.transaction_id) && [payer.account_id, payee.account_id].includes(row.counterparty_account_id))).toEqual([]);
  });
});
