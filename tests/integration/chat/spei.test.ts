/**
 * Paying someone at another bank from the chat, end to end: a real WebSocket client against the
 * local stack, the offline intent engine, the plan's SPEI_TRANSFER_REQUEST on the bus after the
 * customer's yes, Core Banking's SPEI saga on the local runner and the local SPEI participant
 * (which settles an order after about a second, and returns one whose CLABE's account digits end
 * in 0000). The customer hears at once that the money was sent, with its clave de rastreo, and
 * again, on the same socket, when it settles or comes back; balances are read where the money is.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { balancesOf, closeClients, documents, eventsFor, getJson, table, type TestAccount } from '../support';
import { ChatClient, type ServerMessage } from './support';

const ANA_NOMINA: TestAccount = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };
const CLAVE = /Clave de rastreo ([A-Za-z0-9]{1,30})\./;

/** Every account of Sofía's, the seeded ones and any another test gave her: the plan pays from one of them. */
async function sofiasAccounts(): Promise<TestAccount[]> {
  const result = await documents().send(new QueryCommand({ TableName: table('accounts'), KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': 'user-sofia' }, ConsistentRead: true }));
  return (result.Items ?? []).map((item) => ({ user_id: 'user-sofia', account_id: String(item.account_id), balance: 0 }));
}

/** The SPEI transfer's id the chat's answers carry (the saga's execution name, which the page draws). */
const transferIdOf = (message: ServerMessage) => (message as ServerMessage & { transfer_id?: string }).transfer_id;

describe('SPEI from the chat', () => {
  const clients: ChatClient[] = [];
  const open = async (userId: string) => {
    const client = await ChatClient.open(userId);
    clients.push(client);
    return client;
  };

  afterAll(() => {
    for (const client of clients) client.close();
    closeClients();
  });

  it('pays Sofía’s brother at another bank after her yes: sent at once with its clave de rastreo, then settled, her account debited once', async () => {
    // Prepare: Sofía's accounts as they are (other tests may give her more)
    const sofia = await open('user-sofia');
    const before = await balancesOf(await sofiasAccounts());

    // Act
    const asked = await sofia.ask('mándale 250 a mi hermano');
    const untouched = await balancesOf(await sofiasAccounts());
    const sent = await sofia.ask('sí');
    const settled = await sofia.next(30_000);

    // Assess
    expect(asked).toMatchObject({ kind: 'confirmation' });
    expect(asked.text).toMatch(/^¿Envío \$250\.00 MXN por SPEI a Diego Martínez \(hermano\) en IXE \(CLABE \*\*\*\*9004\), desde tu .+ \*\*\*\*\w{4}\?$/);
    expect(untouched).toEqual(before);
    expect(sent).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id, data: { detail_type: 'SPEI_TRANSFER_SENT' } });
    expect(sent.text).toMatch(/^Envié \$250\.00 MXN por SPEI a Diego Martínez \(IXE, CLABE \*\*\*\*9004\)\. Clave de rastreo [A-Za-z0-9]+\. Te aviso cuando se liquide\.$/);
    const clave = CLAVE.exec(sent.text)?.[1];
    expect(settled).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id, data: { detail_type: 'TRANSFER_COMPLETED' } });
    expect(settled.text).toBe(`Tu transferencia SPEI de $250.00 MXN a Diego Martínez (IXE, CLABE ****9004) se liquidó: ya está en su cuenta. Clave de rastreo ${clave}.`);
    expect(transferIdOf(settled)).toBe(transferIdOf(sent));
    const requests = (await eventsFor(asked.correlation_id)).filter((e) => e['detail-type'] === 'SPEI_TRANSFER_REQUEST');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.detail).toMatchObject({ user_id: 'user-sofia', to_clabe: '032180777888999004', beneficiary_name: 'Diego Martínez', amount: 25_000, currency: 'MXN' });
    const from = String(requests[0]?.detail.from_account_id);
    expect(asked.text).toContain(`****${from.slice(-4)}?`);
    const after = await balancesOf(await sofiasAccounts());
    expect([...after].map(([id, balance]) => [id, balance - (before.get(id) as number)])).toEqual([...after.keys()].map((id) => [id, id === from ? -25_000 : 0]));
    // The saga the page draws beside the conversation: the execution named by the transfer id.
    const history = await getJson<{ status: string; states: Array<{ name: string }> }>(`/executions/${transferIdOf(sent)}`);
    expect(history.status).toBe('SUCCEEDED');

    // Act: where is it? ("¿ya llegó…?")
    const status = await sofia.ask('¿ya llegó mi transferencia a mi hermano?');

    // Assess: settled, with the CEP's fields and where to check it
    expect(status).toMatchObject({ kind: 'answer', data: { detail_type: 'TRANSFER_STATUS_RESPONSE' } });
    expect(status.text).toMatch(/^Tu transferencia SPEI de \$250\.00 MXN a Diego Martínez \(IXE, cuenta \*\*\*\*9004\) ya llegó: se liquidó el /);
    expect(status.text).toContain(`Comprobante (CEP): fecha ${new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date())}, banco emisor Centli, banco receptor IXE, cuenta del beneficiario ****9004, monto $250.00 MXN, clave de rastreo ${clave}`);
    expect(status.text).toContain('Puedes verificar el CEP en el sitio de Banxico (https://www.banxico.org.mx/cep/).');
  });

  it('pays Ana’s mom at Banamex, and answers in English whether it arrived', async () => {
    // Prepare
    const ana = await open('user-ana');
    const before = await balancesOf([ANA_NOMINA]);

    // Act
    const asked = await ana.ask('mándale 300 pesos a mi mamá por la despensa');
    const sent = await ana.ask('sí');
    const settled = await ana.next(30_000);
    const status = await ana.ask('did my transfer to my mom arrive?');

    // Assess
    expect(asked).toMatchObject({ kind: 'confirmation', text: '¿Envío $300.00 MXN por SPEI a María Elena Ruiz (mamá) en Banamex (CLABE ****8906), desde tu Cuenta Nómina ****4821, con el concepto «la despensa»?' });
    expect(sent.text).toMatch(/^Envié \$300\.00 MXN por SPEI a María Elena Ruiz \(Banamex, CLABE \*\*\*\*8906\)\. Clave de rastreo /);
    expect(settled.text).toMatch(/^Tu transferencia SPEI de \$300\.00 MXN a María Elena Ruiz \(Banamex, CLABE \*\*\*\*8906\) se liquidó: ya está en su cuenta\./);
    expect(status).toMatchObject({ kind: 'answer', locale: 'en' });
    expect(status.text).toMatch(/^Your SPEI transfer of \$300\.00 MXN to María Elena Ruiz \(Banamex, account \*\*\*\*8906\) has arrived: it settled on /);
    expect(status.text).toContain('Receipt (CEP): date ');
    expect(status.text).toContain(', sending bank Centli, receiving bank Banamex, beneficiary account ending 8906, amount $300.00 MXN, tracking key (clave de rastreo) ');
    expect((await balancesOf([ANA_NOMINA])).get(ANA_NOMINA.account_id)).toBe((before.get(ANA_NOMINA.account_id) as number) - 30_000);
  });

  it('tells Sofía when what she sent her aunt comes back (cuenta inexistente), with the money back in her account', async () => {
    // Prepare
    const sofia = await open('user-sofia');
    const before = await balancesOf(await sofiasAccounts());

    // Act
    const asked = await sofia.ask('transfiere 120 pesos a mi tía');
    const sent = await sofia.ask('sí');
    const back = await sofia.next(30_000);
    const status = await sofia.ask('¿cómo va mi transferencia a mi tía?');

    // Assess
    expect(asked).toMatchObject({ kind: 'confirmation' });
    expect(asked.text).toMatch(/^¿Envío \$120\.00 MXN por SPEI a Rosa Martínez \(tía\) en BBVA México \(CLABE \*\*\*\*0000\), desde tu .+\?$/);
    expect(sent).toMatchObject({ kind: 'answer', data: { detail_type: 'SPEI_TRANSFER_SENT' } });
    const clave = CLAVE.exec(sent.text)?.[1];
    expect(back).toMatchObject({ kind: 'error', correlation_id: asked.correlation_id, data: { detail_type: 'TRANSFER_FAILED' } });
    expect(back.text).toBe(`Tu transferencia SPEI a Rosa Martínez regresó. BBVA México la devolvió: la cuenta no existe. Te regresé $120.00 MXN; ya está de vuelta en tu cuenta. Clave de rastreo ${clave}.`);
    expect(await balancesOf(await sofiasAccounts())).toEqual(before);
    expect(status.text).toMatch(/^Tu transferencia SPEI de \$120\.00 MXN a Rosa Martínez \(BBVA México, cuenta \*\*\*\*0000\) fue devuelta por el banco receptor \(«cuenta inexistente»\); el dinero está de vuelta en tu cuenta\./);
  });

  it('refuses dollars to another bank before asking anything: SPEI moves pesos only', async () => {
    // Prepare
    const sofia = await open('user-sofia');

    // Act
    const refused = await sofia.ask('transfiere 20 dólares a mi hermano');

    // Assess
    expect(refused).toMatchObject({ kind: 'error', text: 'Diego Martínez (hermano) tiene su cuenta en IXE: solo puedo enviarle pesos (MXN) por SPEI, no USD. No se movió dinero.' });
    expect((await eventsFor(refused.correlation_id)).map((e) => e['detail-type'])).not.toContain('SPEI_TRANSFER_REQUEST');
  });
});
