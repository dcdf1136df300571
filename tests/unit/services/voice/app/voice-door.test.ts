/**
 * The voice door itself, beside the code hook's tests: what it keeps of a call (the rest of a
 * list, said on a "sí"), what a caller hears when a service cannot answer, and that a call kept
 * for one customer is never answered for another.
 */
import { ContentionError } from '@centli/pure/errors';
import { parseIntent } from '@centli/tools/intent/intent-parser';
import { answerUtterance, type VoiceDoorDeps } from '../../../../../services/voice/src/app/voice-door';
import { FakeConfirmationStore } from '../../../support/fakes';
import { balances, FakeClock, FakeServiceCaller, holders, reply, resolvesHermano, transferCompleted, type Responder } from '../../mcp/fakes';
import { serviceAnswer } from '../../agent-gateway/fakes';
import { MemoryCallStore } from '../fakes';

const CONTACT = '7d0c6c1e-2f7e-4d7e-9a53-3b8f4d9c0a11';
const ANA = { user_id: 'user-ana', locale: 'es' as const };

const payee = (n: number) => ({ beneficiary_id: `ben_ana_${n}`, name: `Persona ${['Uno', 'Dos', 'Tres', 'Cuatro', 'Cinco'][n - 1]}`, alias: `amigo ${n}`, account_id: `acc-persona-${n}-000${n}` });
const fivePayees: Responder = reply('BENEFICIARIES_RESPONSE', { beneficiaries: [1, 2, 3, 4, 5].map(payee) });
const failing: Responder = () => {
  throw new Error('centli-core-banking-local-transfer failed: Error: the function crashed');
};

const LENOVO = 'prod-laptop-lenovo-ideapad-5';
const catalog: Responder = (request) => [serviceAnswer(request.detailType, request.detail)];
const CASATECH_OFFER = {
  retailer_id: 'ret-casatech',
  retailer_name: 'CasaTech',
  product_name: 'Laptop Lenovo IdeaPad 5 14"',
  unit_price: 1549900,
  subtotal: 1549900,
  discount: 154990,
  total: 1394910,
  currency: 'MXN',
  formatted_total: '$13,949.10 MXN',
  cashback: 0,
  in_stock: true,
  installments: [],
  promotions: [],
};
const purchaseStatus = (status: 'pending' | 'confirmed', fields: Record<string, unknown> = {}): Responder =>
  reply('PURCHASE_STATUS_RESPONSE', (request) => ({ purchase_id: request.detail.purchase_id, status, product_id: LENOVO, retailer_id: 'ret-casatech', ...fields }));
const CONFIRMED = { product_name: 'Laptop Lenovo IdeaPad 5 14"', quantity: 1, total: 1394910, currency: 'MXN', formatted_total: '$13,949.10 MXN', transaction_id: 'tx-pur-ana-1' };
const purchases = (statuses: Responder[]): Record<string, Responder | Responder[]> => ({
  CATALOG_QUERY: catalog,
  BENEFITS_QUERY: reply('BENEFITS_RESPONSE', { product_id: LENOVO, quantity: 1, offers: [CASATECH_OFFER] }),
  PURCHASE_REQUEST: reply('PURCHASE_STARTED', { purchase_id: 'pur-ana-1', started_at: '2026-11-26T16:00:00.000Z' }),
  PURCHASE_STATUS_QUERY: statuses,
});

function door(table: Record<string, Responder | Responder[]> = {}) {
  const clock = new FakeClock();
  const services = new FakeServiceCaller({ BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders, ALIAS_RESOLUTION_REQUEST: resolvesHermano, TRANSFER_REQUEST: transferCompleted, BENEFICIARIES_QUERY: fivePayees, ...table });
  const calls = new MemoryCallStore();
  let ids = 0;
  const deps: VoiceDoorDeps = {
    calls,
    confirmations: new FakeConfirmationStore(),
    services,
    engine: { name: 'parser', understand: async (text, context) => parseIntent(text, context) },
    now: clock.now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    sleep: async (ms) => clock.advance(ms),
    purchaseWaitMs: 3000,
    timeZone: 'America/Mexico_City',
    log: () => undefined,
  };
  const say = (transcript: string, caller = ANA) => answerUtterance({ contactId: CONTACT, caller, transcript }, deps);
  return { say, services, calls, deps };
}

describe('the voice door', () => {
  it('says three items of a list, asks whether to go on, and says the rest on a yes', async () => {
    // Prepare
    const phone = door();

    // Act
    const first = await phone.say('mis beneficiarios');
    const kept = (await phone.calls.get(CONTACT))?.more;
    const rest = await phone.say('sí');
    const after = await phone.say('sí');

    // Assess
    expect(first.text).toMatch(/^Tus beneficiarios: Persona Uno.*Persona Tres.*\. ¿Quieres oír más\?$/);
    expect(first.text).not.toContain('Persona Cuatro');
    expect(kept).toHaveLength(2);
    expect(rest.text).toMatch(/^Persona Cuatro.*Persona Cinco.*\.$/);
    expect((await phone.calls.get(CONTACT))?.more).toBeUndefined();
    expect(after.text).toBe('No hay nada pendiente de confirmar.');
    expect(phone.services.sent('BENEFICIARIES_QUERY')).toHaveLength(1);
  });

  it('moves on when the caller does not want the rest of a list', async () => {
    // Prepare
    const phone = door();
    await phone.say('mis beneficiarios');

    // Act
    const no = await phone.say('2');

    // Assess
    expect(no.text).toBe('De acuerdo. ¿Algo más?');
    expect((await phone.calls.get(CONTACT))?.more).toBeUndefined();
  });

  it('says nothing was done when a query’s service fails, and that the outcome is unknown when the confirmed request’s fails', async () => {
    // Prepare
    const queries = door({ BALANCE_QUERY: failing });
    const sending = door({ TRANSFER_REQUEST: failing });

    // Act
    const balance = await queries.say('¿Cuál es mi saldo?');
    await sending.say('Transfiere cien pesos a mi hermano');
    const transfer = await sending.say('1');

    // Assess
    expect(balance).toMatchObject({ refused: true, code: 'TOOL.UNAVAILABLE', hangUp: false });
    expect(balance.text).toContain('no se hizo nada');
    expect(transfer).toMatchObject({ refused: true, code: 'TOOL.OUTCOME_UNKNOWN' });
    expect(transfer.text).not.toContain('no se hizo nada');
    expect(sending.services.sent('TRANSFER_REQUEST')).toHaveLength(1);
  });

  it('never says nothing was done when a lost card’s lock gets no answer: it may be locked, and the caller is told to ask again', async () => {
    // Prepare
    const card = { card_id: 'card-ana-nomina', account_id: 'acc-ana-nomina-4821', masked_number: '453212******1234', last_four: '1234', brand: 'visa', type: 'debit', status: 'active', expiry: '08/2029' };
    const phone = door({ CARDS_QUERY: reply('CARDS_RESPONSE', { cards: [card] }), CARD_LOCK_REQUEST: failing });

    // Act
    const told = await phone.say('Perdí mi tarjeta');

    // Assess
    expect(told).toMatchObject({ refused: true, code: 'CARD.LOCK_UNCONFIRMED' });
    expect(told.text).not.toContain('no se hizo nada');
    expect(phone.services.sent('CARD_LOCK_REQUEST')).toHaveLength(1);
    expect(phone.services.sent('CARD_REPLACEMENT_REQUEST')).toEqual([]);
  });

  it('never answers a call kept for another customer', async () => {
    // Prepare
    const phone = door();
    await phone.say('Transfiere cien pesos a mi hermano');

    // Act
    const other = await phone.say('1', { user_id: 'user-luis', locale: 'es' });

    // Assess
    expect(other).toMatchObject({ hangUp: true, refused: true, code: 'VOICE.UNVERIFIED' });
    expect(phone.services.sent('TRANSFER_REQUEST')).toEqual([]);
    expect((await phone.calls.get(CONTACT))?.user_id).toBe('user-ana');
  });

  it('records nothing when another turn of the call was recorded first', async () => {
    // Prepare
    const phone = door();
    await phone.say('¿Cuál es mi saldo?');
    const original = phone.calls.save.bind(phone.calls);
    phone.calls.save = async (call, previous, now) => {
      await original({ ...call }, previous, now);
      return original(call, previous, now);
    };

    // Act & Assess
    await expect(phone.say('¿Cuál es mi saldo?')).rejects.toBeInstanceOf(ContentionError);
  });

  it('follows a purchase it started and says its outcome when the saga settles within the wait', async () => {
    // Prepare
    const phone = door(purchases([purchaseStatus('pending'), purchaseStatus('confirmed', CONFIRMED)]));
    const readBack = await phone.say('Compra la laptop Lenovo');

    // Act
    const done = await phone.say('sí');

    // Assess
    expect(readBack.text).toMatch(/^¿Compro Laptop Lenovo IdeaPad cinco catorce.* en CasaTech por trece mil novecientos cuarenta y nueve pesos con diez centavos/);
    expect(phone.services.sent('PURCHASE_REQUEST')).toHaveLength(1);
    expect(phone.services.sent('PURCHASE_STATUS_QUERY').map((r) => r.detail.purchase_id)).toEqual(['pur-ana-1', 'pur-ana-1']);
    expect(done).toMatchObject({ refused: false, hangUp: false });
    expect(done.text).toContain('trece mil novecientos cuarenta y nueve pesos con diez centavos');
  });

  it('says a purchase is under way when the saga has not settled within the wait', async () => {
    // Prepare
    const phone = door(purchases([purchaseStatus('pending')]));
    await phone.say('Compra la laptop Lenovo');

    // Act
    const pending = await phone.say('1');

    // Assess
    expect(phone.services.sent('PURCHASE_REQUEST')).toHaveLength(1);
    expect(phone.services.sent('PURCHASE_STATUS_QUERY').length).toBeGreaterThan(0);
    expect(pending.refused).toBe(false);
    expect(pending.text).toMatch(/proceso|procesando|en camino/i);
  });
});
