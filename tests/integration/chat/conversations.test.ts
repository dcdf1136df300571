/**
 * Conversations end to end: a real WebSocket client against the local stack's WebSocket API,
 * through the gateway's functions, the bus, the services, DynamoDB Local and the purchase saga,
 * with the offline intent engine (the parser). Balances, stock and ledger are read from
 * DynamoDB, so "moved once" and "moved nothing" are checked where the money is.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cardOf, createCards, replacementsOf, testCard } from '../cards/support';
import { balancesOf, closeClients, documents, eventsFor, ledgerOf, runId, table, type TestAccount } from '../support';
import { ChatClient } from './support';
import { formatMoney } from '@centli/pure/money';

const run = runId();
const ANA_NOMINA: TestAccount = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };
const CARLOS_NOMINA: TestAccount = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0 };
const LUIS_NOMINA: TestAccount = { user_id: 'user-luis', account_id: 'acc-luis-nomina-1532', balance: 0 };

const NOT_SHOWN = 'No alcancé a mostrarte la confirmación, así que no hice nada. Pídemelo de nuevo y te muestro los datos.';

interface StoredTurn {
  correlation_id: string;
  status: string;
  outbox: unknown[];
  confirmation_id?: string;
  confirmation_delivered_to?: string;
  confirmation_delivered_at?: string;
}

/** A chat turn as the gateway keeps it (`turn#<correlation_id>` in the conversations table). */
async function turnOf(correlationId: string): Promise<StoredTurn | undefined> {
  const item = await documents().send(new GetCommand({ TableName: table('conversations'), Key: { pk: `turn#${correlationId}` }, ConsistentRead: true }));
  return item.Item as StoredTurn | undefined;
}

/** The customer's open turn (`open#<user_id>`): the one a "sí" answers. */
async function openTurnOf(userId: string): Promise<string | undefined> {
  const item = await documents().send(new GetCommand({ TableName: table('conversations'), Key: { pk: `open#${userId}` }, ConsistentRead: true }));
  return item.Item?.correlation_id as string | undefined;
}

/** Waits for the customer's open turn to become a confirmation other than `previous`, with its effects carried out. */
async function newConfirmationOf(userId: string, previous: string | undefined, timeoutMs = 10_000): Promise<StoredTurn | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const open = await openTurnOf(userId);
    const turn = open && open !== previous ? await turnOf(open) : undefined;
    if (turn?.status === 'confirming' && turn.outbox.length === 0) return turn;
  }
  return undefined;
}

async function stockOf(productId: string, retailerId: string): Promise<number> {
  const item = await documents().send(new GetCommand({ TableName: table('products'), Key: { product_id: productId, retailer_id: retailerId }, ConsistentRead: true }));
  return item.Item?.stock as number;
}

describe('the chat', () => {
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

  it('refuses a socket without a valid token', async () => {
    await expect(ChatClient.open('user-ana', 'not-a-token')).rejects.toThrow('handshake refused with 401');
  });

  it('answers a balance question with the session customer’s accounts', async () => {
    const ana = await open('user-ana');
    const answer = await ana.ask('¿Cuál es mi saldo?');
    expect(answer).toMatchObject({ kind: 'answer', locale: 'es' });
    expect(answer.text).toMatch(/^Tus saldos:\n• Ahorro \*\*\*\*7305: \$[\d,]+\.\d\d MXN\n• Cuenta Nómina \*\*\*\*4821: \$[\d,]+\.\d\d MXN\nTotal disponible: /);
    expect(answer.correlation_id).toMatch(/^chat-/);
    // The whole turn is on the bus under that one correlation id.
    expect((await eventsFor(answer.correlation_id)).map((e) => `${e.source} ${e['detail-type']}`)).toEqual(['centli.agent-gateway BALANCE_QUERY', 'centli.core-banking BALANCE_RESPONSE']);
  });

  it('answers what the customer spent yesterday', async () => {
    // Prepare: a purchase-like debit on Mateo's account, yesterday at noon in Mexico City
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' }).format(yesterday);
    const at = new Date(`${day}T18:00:00.000Z`).toISOString();
    await documents().send(
      new PutCommand({
        TableName: table('transactions'),
        Item: { account_id: 'acc-mateo-nomina-5178', sk: `${at}#txn_chat_${run}`, user_id: 'user-mateo', transaction_id: `txn_chat_${run}`, request_id: `req-${run}`, direction: 'debit', amount: 45050, currency: 'MXN', counterparty_account_id: 'acc-ret-hogartotal-9003', description: 'Súper de la semana', timestamp: at },
      }),
    );
    const mateo = await open('user-mateo');

    // Act
    const answer = await mateo.ask('¿qué gasté ayer?');

    // Assess
    expect(answer.kind).toBe('answer');
    expect(answer.text).toContain('−$450.50 MXN a ****9003 · «Súper de la semana»');
    // Mateo's seeded history (seed/history.ts) may have more of yesterday: the total is what the lines spent.
    const centavos = (text: string) => Math.round(Number(text.replace(/,/g, '')) * 100);
    const spent = [...answer.text.matchAll(/^• .* −\$([\d,]+\.\d\d) MXN/gm)].reduce((sum, [, amount]) => sum + centavos(amount as string), 0);
    expect(spent).toBeGreaterThanOrEqual(45050);
    expect(answer.text).toContain(`Gastado: ${formatMoney(spent, 'MXN')}`);
  });

  it('transfers to "mi hermano" only after an explicit yes, once, even when the yes is sent twice', async () => {
    // Prepare
    const ana = await open('user-ana');
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    const asked = await ana.ask('Transfiere 100 pesos a mi hermano');
    const untouched = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    const done = await ana.ask('sí');
    const again = await ana.ask('sí');

    // Assess
    expect(asked).toMatchObject({ kind: 'confirmation', text: '¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?' });
    expect(asked.choices).toEqual([{ label: 'Sí', value: 'sí' }, { label: 'No', value: 'no' }]);
    expect(untouched).toEqual(before);
    expect(done).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id });
    expect(done.text).toMatch(/^Listo: transferí \$100\.00 MXN a la cuenta \*\*\*\*3954\. Folio txn_/);
    expect(again).toMatchObject({ kind: 'answer', text: 'No hay nada pendiente de confirmar.' });
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) - 10000);
    expect(after.get('acc-carlos-nomina-3954')).toBe((before.get('acc-carlos-nomina-3954') as number) + 10000);
    const requests = (await eventsFor(asked.correlation_id)).filter((e) => e['detail-type'] === 'TRANSFER_REQUEST');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.detail).toMatchObject({ user_id: 'user-ana', from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000 });
  });

  it('tells the daily limit and what is left of it, which a transfer lowers by exactly its amount', async () => {
    // Prepare
    const ana = await open('user-ana');
    const remaining = async (question: string) => {
      const answer = await ana.ask(question);
      expect(answer).toMatchObject({ kind: 'answer' });
      const [, left] = /Cuenta Nómina \*\*\*\*4821: hoy puedes transferir \$([\d,]+\.\d\d) MXN más de tu límite diario de \$100,000\.00 MXN/.exec(answer.text) ?? [];
      expect(left).toBeDefined();
      return Math.round(Number((left as string).replaceAll(',', '')) * 100);
    };

    // Act
    const before = await remaining('¿Cuál es mi límite diario?');
    await ana.ask('Transfiere 100 pesos a mi hermano');
    await ana.ask('sí');
    const after = await remaining('¿cuánto más puedo transferir hoy?');
    const english = await ana.ask('What are my transfer limits?');

    // Assess
    expect(after).toBe(before - 10000);
    expect(english.text).toMatch(/^Your transfer limits:\n/);
    expect(english.text).toContain('The daily limit starts again at midnight (Mexico City time).');
  });

  it('moves nothing when the customer says no, or confirms a yes with the button of a declined one', async () => {
    const ana = await open('user-ana');
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    const asked = await ana.ask('Transfiere 50 pesos a mi hermano');
    const declined = await ana.ask('no');
    const late = await ana.ask('sí', { reply_to: asked.correlation_id, confirmation_id: asked.confirmation_id });
    expect(declined).toMatchObject({ kind: 'answer', text: 'De acuerdo, no hice nada.' });
    expect(late.text).toBe('No hay nada pendiente de confirmar.');
    expect(await balancesOf([ANA_NOMINA, CARLOS_NOMINA])).toEqual(before);
  });

  it('moves nothing on a "sí" from a new socket when the customer’s socket closed before the confirmation arrived; asked again, it moves once', async () => {
    // Prepare
    const before = await balancesOf([CARLOS_NOMINA, ANA_NOMINA]);
    let previous = await openTurnOf('user-carlos');

    // Act: Carlos asks, and his phone loses the network before the answer can come. (Should his
    // socket close before the gateway even read his message, or the confirmation outrun the
    // close, he asks again.)
    let unseen: StoredTurn | undefined;
    for (let attempt = 1; attempt <= 3 && !unseen; attempt++) {
      const dropped = await ChatClient.open('user-carlos');
      await dropped.sendAndDrop('Transfiere 100 pesos a mi hermana');
      const turn = await newConfirmationOf('user-carlos', previous, 5_000);
      if (turn && turn.confirmation_delivered_to === undefined) unseen = turn;
      previous = turn?.correlation_id ?? previous;
    }
    if (!unseen) throw new Error('the confirmation reached a socket that was closing, three times over');
    const carlos = await open('user-carlos');
    const yes = await carlos.ask('sí');
    const movedAfterYes = await balancesOf([CARLOS_NOMINA, ANA_NOMINA]);
    const asked = await carlos.ask('Transfiere 100 pesos a mi hermana');
    const done = await carlos.ask('sí', { reply_to: asked.correlation_id, confirmation_id: asked.confirmation_id });

    // Assess
    expect(yes).toMatchObject({ kind: 'error', text: NOT_SHOWN, correlation_id: unseen.correlation_id });
    expect(movedAfterYes).toEqual(before);
    expect((await eventsFor(unseen.correlation_id)).map((e) => e['detail-type'])).not.toContain('TRANSFER_REQUEST');
    expect(await turnOf(unseen.correlation_id)).toMatchObject({ status: 'confirming', outbox: [] });
    expect(await turnOf(unseen.correlation_id)).not.toHaveProperty('confirmation_delivered_to');
    expect(asked).toMatchObject({ kind: 'confirmation', text: '¿Transfiero $100.00 MXN a Ana García (mi hermana), cuenta ****4821, desde tu Cuenta Nómina ****3954?', confirmation_id: expect.stringMatching(/^cfm_/) });
    expect(asked.confirmation_id).not.toBe(unseen.confirmation_id);
    expect(done).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id });
    expect(done.text).toMatch(/^Listo: transferí \$100\.00 MXN a la cuenta \*\*\*\*4821\. Folio txn_/);
    const after = await balancesOf([CARLOS_NOMINA, ANA_NOMINA]);
    expect(after.get('acc-carlos-nomina-3954')).toBe((before.get('acc-carlos-nomina-3954') as number) - 10000);
    expect(after.get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) + 10000);
    carlos.close();
  });

  it('takes a "sí" from a new socket when the confirmation reached the customer’s earlier one, and moves the money once', async () => {
    // Prepare: the confirmation reaches Carlos’s laptop, which he then closes
    const before = await balancesOf([CARLOS_NOMINA]);
    const laptop = await ChatClient.open('user-carlos');
    const asked = await laptop.ask('Transfiere 50 pesos a mi hermana');
    laptop.close();

    // Act: he says "sí" on his phone
    const phone = await open('user-carlos');
    const done = await phone.ask('sí');
    const again = await phone.ask('sí');

    // Assess
    expect(asked.kind).toBe('confirmation');
    expect((await turnOf(asked.correlation_id))?.confirmation_delivered_to).toEqual(expect.any(String));
    expect(done).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id });
    expect(done.text).toMatch(/^Listo: transferí \$50\.00 MXN a la cuenta \*\*\*\*4821\./);
    expect(again).toMatchObject({ kind: 'answer', text: 'No hay nada pendiente de confirmar.' });
    expect((await balancesOf([CARLOS_NOMINA])).get('acc-carlos-nomina-3954')).toBe((before.get('acc-carlos-nomina-3954') as number) - 5000);
    expect((await eventsFor(asked.correlation_id)).filter((e) => e['detail-type'] === 'TRANSFER_REQUEST')).toHaveLength(1);
    phone.close();
  });

  it('moves nothing when the confirmation has expired', async () => {
    // Prepare: the confirmation is shown, then five minutes pass (its expiry is set in the past)
    const ana = await open('user-ana');
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    const asked = await ana.ask('Transfiere 75 pesos a mi hermano');
    const turn = await documents().send(new GetCommand({ TableName: table('conversations'), Key: { pk: `turn#${asked.correlation_id}` }, ConsistentRead: true }));
    await documents().send(new UpdateCommand({ TableName: table('conversations'), Key: { pk: turn.Item?.confirmation_key }, UpdateExpression: 'SET expires_at = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }));

    // Act
    const answer = await ana.ask('sí');

    // Assess
    expect(answer).toMatchObject({ kind: 'error', text: 'La confirmación expiró; pídemelo de nuevo y te muestro los datos otra vez.' });
    expect(await balancesOf([ANA_NOMINA, CARLOS_NOMINA])).toEqual(before);
  });

  it('asks which one when the name is ambiguous, then offers to pay the one chosen at another bank by SPEI', async () => {
    const ana = await open('user-ana');
    const asked = await ana.ask('transfiere 200 pesos a Juan Peres');
    expect(asked).toMatchObject({ kind: 'question', text: '¿A cuál Juan? Juan Pérez (el plomero) o Juana Pérez (Juanita).' });
    expect(asked.choices).toEqual([{ label: 'Juan Pérez (el plomero)', value: '1' }, { label: 'Juana Pérez (Juanita)', value: '2' }]);
    const chosen = await ana.ask('Juanita');
    expect(chosen).toMatchObject({ kind: 'confirmation', correlation_id: asked.correlation_id, text: '¿Envío $200.00 MXN por SPEI a Juana Pérez (Juanita) en Banco Azteca (CLABE ****1111), desde tu Cuenta Nómina ****4821?' });
    expect(await ana.ask('no')).toMatchObject({ kind: 'answer', text: 'De acuerdo, no hice nada.' });
  });

  it('buys a laptop in 6 interest-free months: stock and money move once, and the saga is there to draw', async () => {
    // Prepare
    const ana = await open('user-ana');
    const stock = await stockOf('prod-laptop-hp-pavilion-15', 'ret-electromundo');
    const before = await balancesOf([ANA_NOMINA]);

    // Act
    const which = await ana.ask('Compra una laptop con MSI 6 meses');
    const asked = await ana.ask('la HP');
    const done = await ana.ask('sí');

    // Assess
    expect(which).toMatchObject({ kind: 'question', text: 'Encontré varios productos para «laptop». ¿Cuál quieres?' });
    expect(asked).toMatchObject({ kind: 'confirmation', text: '¿Compro «Laptop HP Pavilion 15» en «ElectroMundo» por $11,899.00 MXN a 6 meses sin intereses de $1,983.17 MXN, con cargo a tu Cuenta Nómina ****4821?' });
    expect(done).toMatchObject({ kind: 'answer', correlation_id: which.correlation_id });
    expect(done.text).toMatch(/^¡Compra confirmada! «Laptop HP Pavilion 15» por \$11,899\.00 MXN a 6 meses sin intereses de \$1,983\.17 MXN\. Folio pur_/);
    expect(done.purchase_id).toMatch(/^pur_/);
    const request = (await eventsFor(which.correlation_id)).find((e) => e['detail-type'] === 'PURCHASE_REQUEST');
    expect(request?.detail).toMatchObject({ total: 1189900, currency: 'MXN', installments: 6, monthly_amount: 198317 });
    expect(await stockOf('prod-laptop-hp-pavilion-15', 'ret-electromundo')).toBe(stock - 1);
    expect((await balancesOf([ANA_NOMINA])).get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) - 1189900);
    const history = (await (await fetch(`${(await import('../support')).endpoints().http}/executions/${done.purchase_id}`)).json()) as { status: string; states: Array<{ name: string }> };
    expect(history.status).toBe('SUCCEEDED');
    expect(history.states.map((s) => s.name)).toEqual(['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']);
  });

  it('tells why a purchase failed for funds, with stock and money as they were', async () => {
    // Prepare
    const luis = await open('user-luis');
    const stock = await stockOf('prod-cafetera-nespresso-vertuo', 'ret-hogartotal');
    const before = await balancesOf([LUIS_NOMINA]);
    const ledgerBefore = await ledgerOf(['acc-luis-nomina-1532']);

    // Act
    const asked = await luis.ask('Compra la cafetera prod-cafetera-nespresso-vertuo');
    const failed = await luis.ask('sí');

    // Assess
    expect(asked.kind).toBe('confirmation');
    expect(failed).toMatchObject({ kind: 'error', text: 'No tienes saldo suficiente: tu Cuenta Nómina ****1532 tiene $12.50 MXN disponibles. No se te cobró nada.' });
    expect(failed.purchase_id).toMatch(/^pur_/);
    expect(await stockOf('prod-cafetera-nespresso-vertuo', 'ret-hogartotal')).toBe(stock);
    expect(await balancesOf([LUIS_NOMINA])).toEqual(before);
    // His seeded history is there, and nothing was added to it.
    expect(await ledgerOf(['acc-luis-nomina-1532'])).toEqual(ledgerBefore);
  });

  it('searches for the kind of product the customer names, not only its category: audífonos are not a television', async () => {
    const ana = await open('user-ana');

    const answer = await ana.ask('busca audífonos');

    expect(answer).toMatchObject({ kind: 'answer' });
    expect(answer.text).toContain('Audífonos Sony WH-1000XM5');
    expect(answer.text).not.toMatch(/Pantalla|OLED/);
  });

  it('locks the customer’s only card when asked, and says so by its last four digits', async () => {
    const luis = await open('user-luis');
    const locked = await luis.ask('bloquea mi tarjeta');
    expect(locked).toMatchObject({ kind: 'answer', text: 'Listo, bloqueé tu tarjeta con terminación 7788. Puedes desbloquearla cuando quieras.' });
    // Unlocking lets the card be used again: the customer says yes to exactly which card.
    const asked = await luis.ask('desbloquea mi tarjeta con terminación 7788');
    expect(asked).toMatchObject({ kind: 'confirmation', text: '¿Desbloqueo tu tarjeta débito Visa con terminación 7788 (bloqueada, vence 01/2029)? Volverá a aceptar compras y retiros.' });
    const unlocked = await luis.ask('sí');
    expect(unlocked.text).toBe('Listo, tu tarjeta con terminación 7788 vuelve a funcionar.');
  });

  describe('a lost or stolen card', () => {
    /** A card of Carlos’s own for this test, on his account, ending in digits no seed card of his has. */
    const lostCard = async (lastFour: string) => {
      const cardId = `card-chat-lost-${run}-${lastFour}`;
      await createCards([testCard('user-carlos', cardId, lastFour, { account_id: 'acc-carlos-nomina-3954' })]);
      return cardId;
    };
    const replacementsFor = async (cardId: string) => (await replacementsOf('user-carlos')).filter((item) => item.card_id === cardId);

    it('is locked as soon as the customer says “perdí mi tarjeta”, before any yes; a no leaves it locked and says how to unlock it', async () => {
      // Prepare
      const lastFour = String(6000 + Math.floor(Math.random() * 999));
      const cardId = await lostCard(lastFour);
      const carlos = await open('user-carlos');

      // Act
      const asked = await carlos.ask(`perdí mi tarjeta con terminación ${lastFour}`);
      const beforeAnyYes = await cardOf(cardId);
      const declined = await carlos.ask('no');

      // Assess
      expect(asked).toMatchObject({
        kind: 'confirmation',
        text: `Bloqueé tu tarjeta con terminación ${lastFour} para que nadie la use. ¿La cancelo y te envío una nueva a tu dirección registrada? La cancelación es definitiva.`,
      });
      expect(beforeAnyYes?.status).toBe('locked');
      expect(declined).toMatchObject({
        kind: 'answer',
        text: `De acuerdo, no la cancelé. Tu tarjeta con terminación ${lastFour} sigue bloqueada; si la encuentras, pídeme «desbloquea mi tarjeta con terminación ${lastFour}».`,
      });
      expect((await cardOf(cardId))?.status).toBe('locked');
      expect(await replacementsFor(cardId)).toEqual([]);
    });

    it('is locked at once when stolen, and a yes cancels it and asks for one replacement', async () => {
      // Prepare
      const lastFour = String(8000 + Math.floor(Math.random() * 999));
      const cardId = await lostCard(lastFour);
      const carlos = await open('user-carlos');

      // Act
      const asked = await carlos.ask(`me robaron mi tarjeta con terminación ${lastFour}`);
      const beforeAnyYes = await cardOf(cardId);
      const done = await carlos.ask('sí');

      // Assess
      expect(asked).toMatchObject({ kind: 'confirmation', text: expect.stringMatching(new RegExp(`^Bloqueé tu tarjeta con terminación ${lastFour} para que nadie la use\\. ¿La cancelo`)) });
      expect(beforeAnyYes?.status).toBe('locked');
      expect(done).toMatchObject({ kind: 'answer', data: { detail_type: 'CARD_REPLACEMENT_REQUESTED' } });
      expect((await cardOf(cardId))?.status).toBe('cancelled');
      expect((await replacementsFor(cardId)).map((item) => item.reason)).toEqual(['stolen']);
    });
  });

  it('answers in English when the customer writes in English', async () => {
    const luis = await open('user-luis');
    const answer = await luis.ask("What's my balance?");
    expect(answer).toMatchObject({ kind: 'answer', locale: 'en', text: 'Your balances:\n• Cuenta Nómina ****1532: $12.50 MXN' });
  });

  it('keeps two customers chatting at once apart: each sees only their own answers', async () => {
    // Prepare
    const [ana, sofia] = await Promise.all([open('user-ana'), open('user-sofia')]);

    // Act: interleaved questions
    const answers = await Promise.all([ana.ask('¿Cuál es mi saldo?'), sofia.ask('¿Cuál es mi saldo?'), ana.ask('mis tarjetas'), sofia.ask('mis tarjetas')].map((p, i) => p.then((m) => ({ i, m }))));
    await ana.quiet(800);

    // Assess
    const anaTexts = ana.received.map((m) => m.text).join('\n');
    const sofiaTexts = sofia.received.map((m) => m.text).join('\n');
    expect(anaTexts).toContain('Ahorro');
    expect(anaTexts).not.toContain('dólares');
    expect(anaTexts).not.toMatch(/terminación (2468|3005|1357|8642)/);
    expect(sofiaTexts).toContain('Cuenta en dólares');
    expect(sofiaTexts).not.toContain('Ahorro');
    expect(sofiaTexts).not.toMatch(/terminación (1234|5678|9012)/);
    expect(answers).toHaveLength(4);
    expect(ana.received).toHaveLength(2);
    expect(sofia.received).toHaveLength(2);
  });
});
