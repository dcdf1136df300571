import { formatMoney } from '@centli/pure/money';
import { approvalUrl, approvedRequestId, openApproval } from '@centli/tools/approval';
import { confirmationKey, confirmedRequestId, openConfirmation } from '@centli/tools/confirmation';
import type { ToolAnswer, ToolRequest } from '@centli/tools/plan';
import {
  answered,
  approvalEnded,
  choiceIn,
  chose,
  confirmationRefused,
  confirmationIdFor,
  confirmed,
  declined,
  onMessage,
  runApproved,
  startTurn,
  understood,
  type ConfirmationOpener,
  type OutgoingRequest,
  type ServerMessage,
  type Transition,
  type Turn,
} from '@centli/tools/conversation';
import { accountsOf, violationOf } from '../../services/agent-gateway/fakes';

const CORR = 'chat-3f6a1d2e-8c4b-4e9a-b1d7-5a0c9e2f4b61';
const ANA = { correlation_id: CORR, user_id: 'user-ana', connection_id: 'conn-ana-1', locale: 'es' as const };
const LUIS = { correlation_id: 'chat-9b2e7c41-5d3a-4f18-a6c0-e81f2d7b3a95', user_id: 'user-luis', connection_id: 'conn-luis-1', locale: 'es' as const };
const EXPIRES_AT = '2026-11-26T16:05:00.000Z';
/** When a confirmation reached Ana's socket: just after it was opened. */
const DELIVERED_AT = new Date('2026-11-26T16:00:01.000Z');

/** The turn once its confirmation's push succeeded on the socket the turn started on, as the door records it. */
const delivered = (turn: Turn): Turn => ({ ...turn, confirmation_delivered_to: turn.connection_id, confirmation_delivered_at: DELIVERED_AT.toISOString() });

const HERMANO = { beneficiary_id: 'ben_ana_hermano', name: 'Carlos García', alias: 'hermano', account_id: 'acc-carlos-nomina-3954' };
const HERMANA = { beneficiary_id: 'ben_ana_hermana', name: 'Lucía García', alias: 'hermana', clabe: '012180001456789015' };
const PLOMERO = { beneficiary_id: 'ben_ana_juan', name: 'Juan Pérez', alias: 'el plomero', clabe: '072180009876543213' };
const JUANITA = { beneficiary_id: 'ben_ana_juana', name: 'Juana Pérez', alias: 'Juanita', clabe: '127180005550001111' };

const LENOVO = 'prod-laptop-lenovo-ideapad-5';
const PURCHASE_ID = 'pur-4c1d8e2a9f7b3065';
const CASATECH_PLAN = { months: 6, monthly_amount: 232485, formatted_monthly_amount: '$2,324.85 MXN', schedule: [232485, 232485, 232485, 232485, 232485, 232485], total: 1394910, currency: 'MXN' };
const OFFERS = [
  {
    retailer_id: 'ret-electromundo',
    retailer_name: 'ElectroMundo',
    product_name: 'Laptop Lenovo IdeaPad 5 14"',
    unit_price: 1499900,
    subtotal: 1499900,
    discount: 0,
    total: 1499900,
    currency: 'MXN',
    formatted_total: '$14,999.00 MXN',
    cashback: 75000,
    in_stock: true,
    installments: [{ months: 6, monthly_amount: 249984, formatted_monthly_amount: '$2,499.84 MXN', schedule: [249984, 249984, 249983, 249983, 249983, 249983], total: 1499900, currency: 'MXN' }],
    promotions: [],
  },
  {
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
    installments: [CASATECH_PLAN],
    promotions: [{ promotion_id: 'promo-ct-10-computo', type: 'discount', description: '10 % de descuento en cómputo', amount: 154990, formatted_amount: '$1,549.90 MXN' }],
  },
];

/** Confirmations from fixed tokens, opened five minutes before EXPIRES_AT, so their keys, request ids and expiry are known in advance. */
function fixedTokens(): ConfirmationOpener & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    open: (binding, request, summary, correlationId) => {
      const token = `token-${issued.length + 1}-for-the-customer-only`;
      issued.push(token);
      return openConfirmation(binding, request, summary, new Date(Date.parse(EXPIRES_AT) - 300_000), correlationId, token);
    },
    now: () => new Date(Date.parse(EXPIRES_AT) - 300_000),
  };
}

function publishedBy(transition: Transition | undefined): OutgoingRequest[] {
  return (transition?.effects ?? []).flatMap((effect) => (effect.kind === 'publish' ? [effect.request] : []));
}

function repliesOf(transition: Transition | undefined): ServerMessage[] {
  return (transition?.effects ?? []).flatMap((effect) => (effect.kind === 'reply' ? [effect.message] : []));
}

/** The one request a transition publishes. */
function onlyRequest(transition: Transition | undefined): OutgoingRequest {
  const requests = publishedBy(transition);
  expect(requests).toHaveLength(1);
  return requests[0] as OutgoingRequest;
}

/** A service's answer to a request: its ids echoed, its detail checked against the schema. */
function answerTo(request: OutgoingRequest, detailType: string, body: Record<string, unknown>): ToolAnswer {
  const { request_id, correlation_id, user_id } = request.detail;
  const detail = { request_id, correlation_id, user_id, ...body };
  const violation = violationOf(detailType, detail);
  if (violation) throw new Error(`the test's ${detailType} does not match its schema: ${violation.message}`);
  return { detailType, detail };
}

const resolution = (request: OutgoingRequest, beneficiary: Record<string, unknown>) => answerTo(request, 'ALIAS_RESOLUTION_RESPONSE', { alias: request.detail.alias, status: 'resolved', beneficiary });
const ambiguity = (request: OutgoingRequest, candidates: Array<Record<string, unknown>>) => answerTo(request, 'ALIAS_RESOLUTION_RESPONSE', { alias: request.detail.alias, status: 'ambiguous', candidates });
function balances(request: OutgoingRequest, overrides: Partial<Record<string, number>> = {}): ToolAnswer {
  const accounts = accountsOf(request.detail.user_id, overrides);
  const total = accounts.filter((a) => a.status === 'active').reduce((sum, a) => sum + Number(a.balance), 0);
  return answerTo(request, 'BALANCE_RESPONSE', { accounts, totals: [{ currency: 'MXN', balance: total, formatted_balance: formatMoney(total, 'MXN') }] });
}

/** Ana's "transfiere 100 pesos a mi hermano", through every step up to the confirmation. */
function transferToConfirmation() {
  const tokens = fixedTokens();
  const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'mi hermano', amount_text: '100 pesos' } }, tokens);
  const aliasQuery = onlyRequest(start);
  const afterAlias = answered(start.turn, resolution(aliasQuery, HERMANO), tokens) as Transition;
  const accountsQuery = onlyRequest(afterAlias);
  const confirming = answered(afterAlias.turn, balances(accountsQuery), tokens) as Transition;
  return { tokens, start, aliasQuery, afterAlias, accountsQuery, confirming };
}

/** Ana's transfer, confirmed: the request is out. */
function confirmedTransfer() {
  const steps = transferToConfirmation();
  const sending = confirmed(delivered(steps.confirming.turn));
  return { ...steps, sending, transferRequest: onlyRequest(sending) };
}

/** Ana's "compra la Lenovo a 6 MSI", confirmed: the purchase request is out. */
function confirmedPurchase() {
  const tokens = fixedTokens();
  const start = startTurn({ ...ANA, tool: 'purchase_product', args: { product_id: LENOVO, installments: 6 } }, tokens);
  const benefitsQuery = onlyRequest(start);
  const afterBenefits = answered(start.turn, answerTo(benefitsQuery, 'BENEFITS_RESPONSE', { product_id: LENOVO, quantity: 1, offers: OFFERS }), tokens) as Transition;
  const accountsQuery = onlyRequest(afterBenefits);
  const confirming = answered(afterBenefits.turn, balances(accountsQuery), tokens) as Transition;
  const sending = confirmed(delivered(confirming.turn));
  return { tokens, start, benefitsQuery, afterBenefits, accountsQuery, confirming, sending, purchaseRequest: onlyRequest(sending) };
}

/** Ana's "transfiere 100 pesos a García", asked which García. */
function askedWhichGarcia() {
  const tokens = fixedTokens();
  const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'García', amount_text: '100 pesos' } }, tokens);
  const aliasQuery = onlyRequest(start);
  const asking = answered(start.turn, ambiguity(aliasQuery, [HERMANO, HERMANA]), tokens) as Transition;
  return { tokens, start, aliasQuery, asking };
}

describe('a transfer turn, as pure transitions', () => {
  it('starts by asking who "mi hermano" is, under the turn’s correlation id and customer', () => {
    // Prepare
    const tokens = fixedTokens();

    // Act
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'mi hermano', amount_text: '100 pesos' } }, tokens);

    // Assess
    expect(start.effects).toEqual([
      { kind: 'publish', request: { detailType: 'ALIAS_RESOLUTION_REQUEST', detail: { alias: 'mi hermano', request_id: `${CORR}-beneficiary`, correlation_id: CORR, user_id: 'user-ana' } } },
    ]);
    expect(start.turn).toMatchObject({ status: 'querying', awaiting: `${CORR}-beneficiary`, awaiting_key: 'beneficiary' });
    expect(tokens.issued).toEqual([]);
  });

  it('asks Core Banking for the accounts once the beneficiary is known, replying nothing yet', () => {
    // Prepare
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'mi hermano', amount_text: '100 pesos' } }, tokens);

    // Act
    const next = answered(start.turn, resolution(onlyRequest(start), HERMANO), tokens);

    // Assess
    expect(publishedBy(next)).toEqual([{ detailType: 'BALANCE_QUERY', detail: { request_id: `${CORR}-accounts`, correlation_id: CORR, user_id: 'user-ana' } }]);
    expect(repliesOf(next)).toEqual([]);
    expect(next?.turn.answers.beneficiary?.detail.beneficiary).toEqual(HERMANO);
  });

  it('shows the confirmation in the customer’s words, with Sí/No and its expiry, and publishes nothing', () => {
    // Act
    const { confirming, tokens } = transferToConfirmation();

    // Assess
    const text = '¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?';
    expect(publishedBy(confirming)).toEqual([]);
    expect(repliesOf(confirming)).toEqual([
      { kind: 'confirmation', text, correlation_id: CORR, locale: 'es', choices: [{ label: 'Sí', value: 'sí' }, { label: 'No', value: 'no' }], expires_at: EXPIRES_AT, confirmation_id: confirmationIdFor(tokens.issued[0] as string) },
    ]);
    const request = { detailType: 'TRANSFER_REQUEST', detail: { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000, currency: 'MXN' } };
    const token = tokens.issued[0] as string;
    expect(confirming.effects).toContainEqual({ kind: 'confirmation', pending: expect.objectContaining({ pk: confirmationKey(token), user_id: 'user-ana', tool: 'transfer_funds', summary: text, request, status: 'pending', expires_at: Date.parse(EXPIRES_AT) / 1000, correlation_id: CORR }) });
    expect(confirming.turn).toMatchObject({ status: 'confirming', request, confirmation_key: confirmationKey(token), confirmed_request_id: confirmedRequestId(token), confirmation_id: confirmationIdFor(token) });
    expect(confirming.turn.awaiting).toBeUndefined();
    expect(confirming.turn.confirmation_delivered_to).toBeUndefined();
  });

  it('gives each confirmation an id of its own, which is neither its token nor its key nor its request id', () => {
    // Act
    const first = transferToConfirmation();
    const second = transferToConfirmation();
    const other: ConfirmationOpener = { open: (binding, request, summary, correlationId) => openConfirmation(binding, request, summary, DELIVERED_AT, correlationId, 'another-token'), now: () => DELIVERED_AT };
    const third = answered(first.afterAlias.turn, balances(first.accountsQuery), other) as Transition;

    // Assess
    const token = first.tokens.issued[0] as string;
    const id = first.confirming.turn.confirmation_id as string;
    expect(id).toMatch(/^cfm_[\w-]{22}$/);
    expect([token, confirmationKey(token), confirmedRequestId(token)].some((secret) => id.includes(secret) || secret.includes(id.slice(4)))).toBe(false);
    // The same confirmation (the same token) has the same id wherever it is shown; another has another.
    expect(second.confirming.turn.confirmation_id).toBe(id);
    expect(repliesOf(first.confirming)[0]?.confirmation_id).toBe(id);
    expect(third.turn.confirmation_id).not.toBe(id);
  });

  it('publishes exactly one TRANSFER_REQUEST, under the confirmed request id, once confirmed', () => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const sending = confirmed(delivered(confirming.turn));

    // Assess
    expect(sending.effects).toEqual([
      {
        kind: 'publish',
        request: {
          detailType: 'TRANSFER_REQUEST',
          detail: { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000, currency: 'MXN', request_id: confirming.turn.confirmed_request_id, correlation_id: CORR, user_id: 'user-ana' },
        },
      },
    ]);
    expect(sending.turn).toMatchObject({ status: 'sending', awaiting: confirming.turn.confirmed_request_id });
  });

  it('tells the customer the transfer is done, and nothing more when the same event comes again', () => {
    // Prepare
    const { sending, transferRequest, tokens } = confirmedTransfer();
    const completed = answerTo(transferRequest, 'TRANSFER_COMPLETED', {
      transaction_id: 'tx-7f3a9c2e1b',
      from_account_id: 'acc-ana-nomina-4821',
      to_account_id: 'acc-carlos-nomina-3954',
      amount: 10000,
      currency: 'MXN',
      formatted_amount: '$100.00 MXN',
      completed_at: '2026-11-26T16:00:02.000Z',
    });

    // Act
    const done = answered(sending.turn, completed, tokens);
    const again = done && answered(done.turn, completed, tokens);

    // Assess
    expect(repliesOf(done)).toEqual([
      { kind: 'answer', text: 'Listo: transferí $100.00 MXN a la cuenta ****3954. Folio tx-7f3a9c2e1b.', correlation_id: CORR, locale: 'es', data: { detail_type: 'TRANSFER_COMPLETED' } },
    ]);
    expect(publishedBy(done)).toEqual([]);
    expect(done?.turn.status).toBe('done');
    expect(again).toBeUndefined();
  });

  it('refuses to confirm a confirmation that never reached the customer', () => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const confirmBlind = () => confirmed(confirming.turn);

    // Assess
    expect(confirmBlind).toThrow(/never delivered/);
  });

  it('refuses to confirm a turn that has nothing to confirm', () => {
    // Prepare
    const { sending } = confirmedTransfer();

    // Act
    const confirmAgain = () => confirmed(sending.turn);

    // Assess
    expect(confirmAgain).toThrow(/nothing to confirm/);
  });
});

describe('declined', () => {
  it('says nothing was done, ends the turn and publishes nothing', () => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const next = declined(confirming.turn);

    // Assess
    expect(next.effects).toEqual([{ kind: 'reply', message: { kind: 'answer', text: 'De acuerdo, no hice nada.', correlation_id: CORR, locale: 'es' } }]);
    expect(publishedBy(next)).toEqual([]);
    expect(next.turn.status).toBe('done');
  });

  it('leaves the turn with nothing to confirm afterwards', () => {
    // Prepare
    const { confirming } = transferToConfirmation();
    const done = declined(confirming.turn);

    // Act
    const confirmAfterwards = () => confirmed(done.turn);

    // Assess
    expect(confirmAfterwards).toThrow(/nothing to confirm/);
  });
});

describe('a lost card', () => {
  const DEBITO = { card_id: 'card-ana-nomina', account_id: 'acc-ana-nomina-4821', masked_number: '453212******1234', last_four: '1234', brand: 'visa', type: 'debit', status: 'active', expiry: '08/2029' };

  /** Ana's "perdí mi tarjeta", up to the question whether to cancel and replace it. */
  function lostCardToConfirmation() {
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'request_new_card', args: { reason: 'lost' } }, tokens);
    const cardsQuery = onlyRequest(start);
    const locking = answered(start.turn, answerTo(cardsQuery, 'CARDS_RESPONSE', { cards: [DEBITO] }), tokens) as Transition;
    const lockRequest = onlyRequest(locking);
    const confirming = answered(locking.turn, answerTo(lockRequest, 'CARD_LOCKED', { card: { ...DEBITO, status: 'locked' }, changed: true, at: '2026-11-26T16:00:00.000Z' }), tokens) as Transition;
    return { tokens, locking, lockRequest, confirming };
  }

  it('locks the card before anything is asked, under the turn’s own request id, so a retry locks once', () => {
    // Act
    const { locking, lockRequest } = lostCardToConfirmation();

    // Assess
    expect(lockRequest).toEqual({ detailType: 'CARD_LOCK_REQUEST', detail: { card_id: 'card-ana-nomina', request_id: `${CORR}-lock`, correlation_id: CORR, user_id: 'user-ana' } });
    expect(repliesOf(locking)).toEqual([]);
    expect(locking.turn).toMatchObject({ status: 'querying', awaiting: `${CORR}-lock`, awaiting_key: 'lock' });
    expect(locking.effects.some((effect) => effect.kind === 'confirmation')).toBe(false);
  });

  it('then asks to cancel and replace it, saying it is locked already', () => {
    // Act
    const { confirming } = lostCardToConfirmation();

    // Assess
    expect(publishedBy(confirming)).toEqual([]);
    expect(repliesOf(confirming)).toMatchObject([
      { kind: 'confirmation', text: 'Bloqueé tu tarjeta con terminación 1234 para que nadie la use. ¿La cancelo y te envío una nueva a tu dirección registrada? La cancelación es definitiva.' },
    ]);
    expect(confirming.turn).toMatchObject({ status: 'confirming', request: { detailType: 'CARD_REPLACEMENT_REQUEST', detail: { card_id: 'card-ana-nomina', reason: 'lost' } } });
  });

  it('a no leaves it locked, says so and how to unlock it, and sends nothing', () => {
    // Prepare
    const { confirming } = lostCardToConfirmation();

    // Act
    const next = declined(confirming.turn);

    // Assess
    expect(repliesOf(next)).toEqual([
      { kind: 'answer', text: 'De acuerdo, no la cancelé. Tu tarjeta con terminación 1234 sigue bloqueada; si la encuentras, pídeme «desbloquea mi tarjeta con terminación 1234».', correlation_id: CORR, locale: 'es' },
    ]);
    expect(publishedBy(next)).toEqual([]);
    expect(next.turn.status).toBe('done');
  });

  it('a yes sends the replacement, which cancels the card', () => {
    // Prepare
    const { confirming } = lostCardToConfirmation();

    // Act
    const sending = confirmed(delivered(confirming.turn));

    // Assess
    expect(onlyRequest(sending)).toMatchObject({ detailType: 'CARD_REPLACEMENT_REQUEST', detail: { card_id: 'card-ana-nomina', reason: 'lost', correlation_id: CORR } });
  });

  it('a lock that fails is told, and nothing is asked or sent', () => {
    // Prepare
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'request_new_card', args: { reason: 'stolen' } }, tokens);
    const locking = answered(start.turn, answerTo(onlyRequest(start), 'CARDS_RESPONSE', { cards: [DEBITO] }), tokens) as Transition;

    // Act
    const next = answered(locking.turn, answerTo(onlyRequest(locking), 'CARD_OPERATION_FAILED', { reason: 'CARD.CUSTOMER_INACTIVE', message: 'customer is suspended' }), tokens);

    // Assess
    expect(repliesOf(next)).toMatchObject([{ kind: 'error', text: 'Tu perfil de cliente está suspendido, así que no se pueden cambiar tus tarjetas; contáctanos, por favor.' }]);
    expect(publishedBy(next)).toEqual([]);
    expect(next?.turn.status).toBe('done');
    expect(tokens.issued).toEqual([]);
  });
});

describe('an ambiguous beneficiary', () => {
  it('becomes a question with numbered choices, publishing nothing', () => {
    // Act
    const { asking } = askedWhichGarcia();

    // Assess
    expect(publishedBy(asking)).toEqual([]);
    expect(repliesOf(asking)).toEqual([
      {
        kind: 'question',
        text: '¿A cuál García? Carlos García (hermano) o Lucía García (hermana).',
        correlation_id: CORR,
        locale: 'es',
        choices: [
          { label: 'Carlos García (hermano)', value: '1' },
          { label: 'Lucía García (hermana)', value: '2' },
        ],
      },
    ]);
    expect(asking.turn.status).toBe('asking');
  });
});

describe('choiceIn', () => {
  it.each([
    ['its number', '2', '2'],
    ['its number, with spaces', ' 1 ', '1'],
    ['its position in words', 'la segunda', '2'],
    ['its whole label', 'Lucía García (hermana)', '2'],
    ['its whole label, without accents or capitals', 'lucia garcia (hermana)', '2'],
    ['a first name', 'Carlos', '1'],
    ['a first name, without its accent', 'lucia', '2'],
    ['an alias', 'hermana', '2'],
    ['an alias, with punctuation', '¡hermano!', '1'],
  ])('names a choice by %s ("%s")', (_how, said, value) => {
    // Prepare
    const { asking } = askedWhichGarcia();

    // Act
    const choice = choiceIn(asking.turn, said);

    // Assess
    expect(choice).toBe(value);
  });

  it.each([
    ['a number past the last choice', '3'],
    ['zero', '0'],
    ['someone who is not a choice', 'Mateo'],
    ['a new request', 'transfiere 100 pesos a mamá'],
  ])('names no choice for %s ("%s")', (_what, said) => {
    // Prepare
    const { asking } = askedWhichGarcia();

    // Act
    const choice = choiceIn(asking.turn, said);

    // Assess
    expect(choice).toBeUndefined();
  });

  it('names no choice for a word every choice shares ("García" is both)', () => {
    // Prepare
    const { asking } = askedWhichGarcia();

    // Act
    const choice = choiceIn(asking.turn, 'García');

    // Assess
    expect(choice).toBeUndefined();
  });

  it('names a choice by its alias as the question shows it, even in several words ("el plomero")', () => {
    // Prepare
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'Juan', amount_text: '100 pesos' } }, tokens);
    const asking = answered(start.turn, ambiguity(onlyRequest(start), [PLOMERO, JUANITA]), tokens) as Transition;

    // Act
    const choice = choiceIn(asking.turn, 'el plomero');

    // Assess
    expect(repliesOf(asking)[0]?.choices?.map((c) => c.label)).toEqual(['Juan Pérez (el plomero)', 'Juana Pérez (Juanita)']);
    expect(choice).toBe('1');
  });

  it.each([
    ['querying', () => transferToConfirmation().start.turn],
    ['confirming', () => transferToConfirmation().confirming.turn],
    ['sending', () => confirmedTransfer().sending.turn],
  ])('names nothing outside a question (a turn %s)', (_status, turnOf) => {
    // Prepare
    const turn: Turn = turnOf();

    // Act
    const choices = ['1', 'hermano', 'Carlos García (hermano)'].map((said) => choiceIn(turn, said));

    // Assess
    expect(choices).toEqual([undefined, undefined, undefined]);
  });
});

describe('chose', () => {
  it('plans the same tool afresh with the choice’s arguments', () => {
    // Prepare
    const { asking, tokens } = askedWhichGarcia();

    // Act
    const next = chose(asking.turn, '1', tokens);

    // Assess
    const request = onlyRequest(next);
    expect(request.detailType).toBe('ALIAS_RESOLUTION_REQUEST');
    expect(request.detail).toMatchObject({ alias: 'hermano', correlation_id: CORR, user_id: 'user-ana' });
    expect(next?.turn).toMatchObject({ status: 'querying', args: { beneficiary: 'hermano', amount_text: '100 pesos' }, answers: {} });
    expect(next?.turn.choices).toBeUndefined();
  });

  it('reaches the confirmation for the chosen beneficiary', () => {
    // Prepare
    const { asking, tokens } = askedWhichGarcia();
    const replanned = chose(asking.turn, '1', tokens) as Transition;
    const aliasQuery = onlyRequest(replanned);
    const afterAlias = answered(replanned.turn, resolution(aliasQuery, HERMANO), tokens) as Transition;

    // Act
    const confirming = answered(afterAlias.turn, balances(onlyRequest(afterAlias)), tokens);

    // Assess
    expect(repliesOf(confirming).map((m) => [m.kind, m.text])).toEqual([['confirmation', '¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?']]);
  });

  it('gives the new query a request id of its own, so a late copy of the first answer is not taken for it', () => {
    // Prepare
    const { asking, aliasQuery, tokens } = askedWhichGarcia();
    const replanned = chose(asking.turn, '1', tokens) as Transition;
    const lateCopy = ambiguity(aliasQuery, [HERMANO, HERMANA]);

    // Act
    const next = answered(replanned.turn, lateCopy, tokens);

    // Assess
    expect(onlyRequest(replanned).detail.request_id).not.toBe(aliasQuery.detail.request_id);
    expect(next).toBeUndefined();
  });

  it.each([
    ['a value past the last choice', '3'],
    ['no number at all', 'hermano'],
  ])('changes nothing for %s', (_what, value) => {
    // Prepare
    const { asking, tokens } = askedWhichGarcia();

    // Act
    const next = chose(asking.turn, value, tokens);

    // Assess
    expect(next).toBeUndefined();
  });

  it('changes nothing for a turn that is not asking', () => {
    // Prepare
    const { confirming, tokens } = transferToConfirmation();

    // Act
    const next = chose(confirming.turn, '1', tokens);

    // Assess
    expect(next).toBeUndefined();
  });
});

describe('answered', () => {
  it.each([
    ['the accounts, while the beneficiary is awaited', (s: ReturnType<typeof transferToConfirmation>) => [s.start.turn, balances({ ...s.aliasQuery, detail: { ...s.aliasQuery.detail, request_id: `${CORR}-accounts` } })] as const],
    ['a second copy of the beneficiary’s answer, once the accounts are awaited', (s: ReturnType<typeof transferToConfirmation>) => [s.afterAlias.turn, resolution(s.aliasQuery, HERMANO)] as const],
    ['another turn’s answer', (s: ReturnType<typeof transferToConfirmation>) => [s.start.turn, resolution({ ...s.aliasQuery, detail: { ...s.aliasQuery.detail, request_id: `${LUIS.correlation_id}-beneficiary` } }, HERMANO)] as const],
    ['any query’s answer while confirming', (s: ReturnType<typeof transferToConfirmation>) => [s.confirming.turn, balances(s.accountsQuery)] as const],
  ])('changes nothing for an answer to another request id: %s', (_what, pick) => {
    // Prepare
    const steps = transferToConfirmation();
    const [turn, answer] = pick(steps);

    // Act
    const next = answered(turn, answer, steps.tokens);

    // Assess
    expect(next).toBeUndefined();
  });

  it('refuses a transfer to someone who is not among the customer’s beneficiaries, publishing nothing more', () => {
    // Prepare
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'mi primo', amount: 10000 } }, tokens);
    const notFound = answerTo(onlyRequest(start), 'ALIAS_RESOLUTION_RESPONSE', { alias: 'mi primo', status: 'not_found', candidates: [] });

    // Act
    const next = answered(start.turn, notFound, tokens);

    // Assess
    expect(repliesOf(next)).toEqual([{ kind: 'error', text: 'No encontré a «mi primo» entre tus beneficiarios.', correlation_id: CORR, locale: 'es' }]);
    expect(publishedBy(next)).toEqual([]);
    expect(next?.turn.status).toBe('done');
  });

  it('tells an insufficient-funds failure with the balance available in the account it would have come from', () => {
    // Prepare
    const tokens = fixedTokens();
    const start = startTurn({ ...LUIS, tool: 'transfer_funds', args: { to_account_id: 'acc-ana-nomina-4821', amount: 10000 } }, tokens);
    const holder = answered(start.turn, answerTo(onlyRequest(start), 'ACCOUNT_HOLDER_RESPONSE', { account_id: 'acc-ana-nomina-4821', own: false, holder_name: 'Ana García' }), tokens) as Transition;
    const confirming = answered(holder.turn, balances(onlyRequest(holder)), tokens) as Transition;
    const sending = confirmed(delivered(confirming.turn));
    const failure = answerTo(onlyRequest(sending), 'TRANSFER_FAILED', { reason: 'TRANSFER.INSUFFICIENT_FUNDS', message: 'The source account does not have enough funds.', field: 'amount' });

    // Act
    const next = answered(sending.turn, failure, tokens);

    // Assess
    expect(repliesOf(confirming)[0]?.text).toBe('¿Transfiero $100.00 MXN a Ana García, cuenta ****4821, desde tu Cuenta Nómina ****1532?');
    expect(repliesOf(next)).toEqual([
      {
        kind: 'error',
        text: 'No tienes saldo suficiente: tu Cuenta Nómina ****1532 tiene $12.50 MXN disponibles. No se movió dinero.',
        correlation_id: LUIS.correlation_id,
        locale: 'es',
        data: { detail_type: 'TRANSFER_FAILED' },
      },
    ]);
    expect(next?.turn.status).toBe('done');
  });
});

describe('a purchase turn', () => {
  it('confirms the cheapest offer with the plan asked for, then sends one PURCHASE_REQUEST', () => {
    // Act
    const { confirming, purchaseRequest } = confirmedPurchase();

    // Assess
    expect(repliesOf(confirming).map((m) => [m.kind, m.text])).toEqual([
      ['confirmation', '¿Compro «Laptop Lenovo IdeaPad 5 14"» en «CasaTech» por $13,949.10 MXN a 6 meses sin intereses de $2,324.85 MXN, con cargo a tu Cuenta Nómina ****4821?'],
    ]);
    expect(purchaseRequest).toEqual({
      detailType: 'PURCHASE_REQUEST',
      detail: { product_id: LENOVO, retailer_id: 'ret-casatech', quantity: 1, account_id: 'acc-ana-nomina-4821', total: 1394910, currency: 'MXN', installments: 6, monthly_amount: 232485, request_id: confirming.turn.confirmed_request_id, correlation_id: CORR, user_id: 'user-ana' },
    });
  });

  it('notes the purchase id of PURCHASE_STARTED without telling the customer anything', () => {
    // Prepare
    const { sending, purchaseRequest, tokens } = confirmedPurchase();

    // Act
    const next = answered(sending.turn, answerTo(purchaseRequest, 'PURCHASE_STARTED', { purchase_id: PURCHASE_ID, started_at: '2026-11-26T16:00:01.000Z' }), tokens);

    // Assess
    expect(next?.effects).toEqual([]);
    expect(next?.turn).toMatchObject({ status: 'sending', purchase_id: PURCHASE_ID });
  });

  it('tells the confirmed purchase once, with its purchase id', () => {
    // Prepare
    const { sending, purchaseRequest, tokens } = confirmedPurchase();
    const started = answered(sending.turn, answerTo(purchaseRequest, 'PURCHASE_STARTED', { purchase_id: PURCHASE_ID, started_at: '2026-11-26T16:00:01.000Z' }), tokens) as Transition;
    const confirmation = answerTo(purchaseRequest, 'PURCHASE_CONFIRMED', {
      purchase_id: PURCHASE_ID,
      product_id: LENOVO,
      retailer_id: 'ret-casatech',
      product_name: 'Laptop Lenovo IdeaPad 5 14"',
      quantity: 1,
      unit_price: 1549900,
      discount: 154990,
      total: 1394910,
      currency: 'MXN',
      formatted_total: '$13,949.10 MXN',
      cashback: 0,
      account_id: 'acc-ana-nomina-4821',
      transaction_id: 'tx-pur-4c1d8e2a',
      installments: CASATECH_PLAN,
      confirmed_at: '2026-11-26T16:00:04.000Z',
    });

    // Act
    const done = answered(started.turn, confirmation, tokens);
    const again = done && answered(done.turn, confirmation, tokens);

    // Assess
    expect(repliesOf(done)).toEqual([
      {
        kind: 'answer',
        text: '¡Compra confirmada! «Laptop Lenovo IdeaPad 5 14"» por $13,949.10 MXN a 6 meses sin intereses de $2,324.85 MXN. Folio pur-4c1d8e2a9f7b3065.',
        correlation_id: CORR,
        locale: 'es',
        data: { detail_type: 'PURCHASE_CONFIRMED' },
        purchase_id: PURCHASE_ID,
      },
    ]);
    expect(again).toBeUndefined();
  });

  it('tells a PURCHASE_FAILED that overtook its PURCHASE_STARTED once, and ignores the late PURCHASE_STARTED', () => {
    // Prepare
    const { sending, purchaseRequest, tokens } = confirmedPurchase();
    const failed = answerTo(purchaseRequest, 'PURCHASE_FAILED', { purchase_id: PURCHASE_ID, reason: 'PURCHASE.OUT_OF_STOCK', message: 'The product sold out while it was being reserved.' });
    const lateStart = answerTo(purchaseRequest, 'PURCHASE_STARTED', { purchase_id: PURCHASE_ID, started_at: '2026-11-26T16:00:01.000Z' });

    // Act
    const done = answered(sending.turn, failed, tokens);
    const late = done && answered(done.turn, lateStart, tokens);

    // Assess
    expect(repliesOf(done)).toEqual([
      { kind: 'error', text: 'Ese producto se agotó; no se te cobró nada.', correlation_id: CORR, locale: 'es', data: { detail_type: 'PURCHASE_FAILED' }, purchase_id: PURCHASE_ID },
    ]);
    expect(done?.turn.status).toBe('done');
    expect(late).toBeUndefined();
  });

  it('takes the saga’s answer by its purchase id when it carries no request id of the turn', () => {
    // Prepare
    const { sending, purchaseRequest, tokens } = confirmedPurchase();
    const started = answered(sending.turn, answerTo(purchaseRequest, 'PURCHASE_STARTED', { purchase_id: PURCHASE_ID, started_at: '2026-11-26T16:00:01.000Z' }), tokens) as Transition;
    const failed: ToolAnswer = { detailType: 'PURCHASE_FAILED', detail: { correlation_id: CORR, user_id: 'user-ana', purchase_id: PURCHASE_ID, reason: 'PAYMENT.INSUFFICIENT_FUNDS', message: 'Insufficient funds.' } };

    // Act
    const done = answered(started.turn, failed, tokens);

    // Assess
    expect(violationOf('PURCHASE_FAILED', failed.detail)).toBeUndefined();
    expect(repliesOf(done).map((m) => [m.kind, m.purchase_id])).toEqual([['error', PURCHASE_ID]]);
    expect(repliesOf(done)[0]?.text).toBe('No tienes saldo suficiente: tu Cuenta Nómina ****4821 tiene $185,500.75 MXN disponibles. No se te cobró nada.');
  });
});

describe('what a turn publishes', () => {
  it.each([
    ['a transfer to "mi hermano"', () => { const s = confirmedTransfer(); return [s.start, s.afterAlias, s.confirming, s.sending]; }],
    ['a transfer after choosing among two Garcías', () => { const s = askedWhichGarcia(); const r = chose(s.asking.turn, '1', s.tokens) as Transition; return [s.start, s.asking, r]; }],
    ['a purchase with 6 MSI', () => { const s = confirmedPurchase(); return [s.start, s.afterBenefits, s.confirming, s.sending]; }],
    ['Luis’s transfer to an account id', () => { const t = fixedTokens(); const start = startTurn({ ...LUIS, tool: 'transfer_funds', args: { to_account_id: 'acc-ana-nomina-4821', amount: 10000 } }, t); const h = answered(start.turn, answerTo(onlyRequest(start), 'ACCOUNT_HOLDER_RESPONSE', { account_id: 'acc-ana-nomina-4821', own: false, holder_name: 'Ana García' }), t) as Transition; const c = answered(h.turn, balances(onlyRequest(h)), t) as Transition; return [start, h, c, confirmed(delivered(c.turn))]; }],
  ])('passes every detail’s schema: %s', (_flow, run) => {
    // Act
    const requests = run().flatMap((transition: Transition) => publishedBy(transition));

    // Assess
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((r) => [r.detailType, violationOf(r.detailType, r.detail)])).toEqual(requests.map((r) => [r.detailType, undefined]));
  });
});

describe('onMessage: which transition a customer’s message makes', () => {
  const say = (text: string, said: 'confirm' | 'cancel' | 'other' = 'other', owed = false) => ({ userId: 'user-ana', said, text, locale: 'es' as const, owed });

  it.each([
    ['a yes', 'confirm', true],
    ['a no', 'cancel', false],
  ] as const)('takes %s as the answer to the open confirmation the customer was shown', (_name, said, yes) => {
    // Prepare
    const shown = delivered(transferToConfirmation().confirming.turn);

    // Act
    const decision = onMessage(shown, say('sí', said));

    // Assess
    expect(decision).toEqual({ kind: 'confirm', turn: shown, yes });
  });

  it.each([
    ['es', 'No alcancé a mostrarte la confirmación, así que no hice nada. Pídemelo de nuevo y te muestro los datos.'],
    ['en', 'I could not show you the confirmation, so I did nothing. Ask me again and I will show you the details.'],
  ] as const)('takes no yes to a confirmation that never reached the customer, and says so (%s)', (locale, text) => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const decision = onMessage(confirming.turn, { ...say('sí', 'confirm'), locale });

    // Assess
    expect(decision).toEqual({ kind: 'not-shown', turn: confirming.turn, text });
  });

  it('takes a no to a confirmation that never reached the customer: declining it moves nothing', () => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const decision = onMessage(confirming.turn, say('no', 'cancel'));

    // Assess
    expect(decision).toEqual({ kind: 'confirm', turn: confirming.turn, yes: false });
  });

  it('takes a button that names the open confirmation by its id and its turn', () => {
    // Prepare
    const shown = delivered(transferToConfirmation().confirming.turn);

    // Act
    const decision = onMessage(shown, { ...say('sí', 'confirm'), confirmationId: shown.confirmation_id, replyTo: CORR });

    // Assess
    expect(decision).toEqual({ kind: 'confirm', turn: shown, yes: true });
  });

  it.each([
    ['another confirmation’s id (an older one, superseded)', { confirmationId: 'cfm_AAAAAAAAAAAAAAAAAAAAAA' }],
    ['another turn (an older one, declined or done)', { replyTo: 'chat-0b7d2c4e-1f3a-4c5d-9e8f-7a6b5c4d3e2f' }],
    ['the open turn, but another confirmation’s id', { replyTo: CORR, confirmationId: 'cfm_AAAAAAAAAAAAAAAAAAAAAA' }],
  ])('answers a button for %s with nothing pending, moving nothing', (_what, button) => {
    // Prepare
    const shown = delivered(transferToConfirmation().confirming.turn);

    // Act
    const yes = onMessage(shown, { ...say('sí', 'confirm'), ...button });
    const no = onMessage(shown, { ...say('no', 'cancel'), ...button });

    // Assess
    expect(yes).toEqual({ kind: 'nothing-pending', text: 'No hay nada pendiente de confirmar.' });
    expect(no).toEqual({ kind: 'nothing-pending', text: 'No hay nada pendiente de confirmar.' });
  });

  it('takes no choice from a button of a question that is not the open one', () => {
    // Prepare
    const { asking } = askedWhichGarcia();

    // Act
    const decision = onMessage(asking.turn, { ...say('1'), replyTo: 'chat-0b7d2c4e-1f3a-4c5d-9e8f-7a6b5c4d3e2f' });

    // Assess
    expect(decision).toEqual({ kind: 'understand' });
  });

  it('takes a choice of the open question by its words', () => {
    // Prepare
    const { asking } = askedWhichGarcia();

    // Act
    const decision = onMessage(asking.turn, say('la hermana'));

    // Assess
    expect(decision).toEqual({ kind: 'choose', turn: asking.turn, value: '2' });
  });

  it('never answers another customer’s open turn, even with their yes and its ids', () => {
    // Prepare
    const shown = delivered(transferToConfirmation().confirming.turn);

    // Act
    const decision = onMessage(shown, { ...say('sí', 'confirm'), userId: 'user-luis', replyTo: CORR, confirmationId: shown.confirmation_id });

    // Assess
    expect(decision).toEqual({ kind: 'nothing-pending', text: 'No hay nada pendiente de confirmar.' });
  });

  it('adds nothing to a yes whose confirmed request a crash left owed: it is going out now', () => {
    // Prepare
    const { sending } = confirmedTransfer();

    // Act
    const decision = onMessage(sending.turn, say('sí', 'confirm', true));

    // Assess
    expect(decision).toEqual({ kind: 'already-sent' });
  });

  it('tells a yes with nothing to confirm, and hands anything else to the intent engine', () => {
    expect(onMessage(undefined, say('sí', 'confirm'))).toEqual({ kind: 'nothing-pending', text: 'No hay nada pendiente de confirmar.' });
    expect(onMessage(undefined, { ...say('no', 'cancel'), locale: 'en' })).toEqual({ kind: 'nothing-pending', text: 'There is nothing waiting for your confirmation.' });
    expect(onMessage(undefined, say('¿Cuál es mi saldo?'))).toEqual({ kind: 'understand' });
    expect(onMessage(askedWhichGarcia().asking.turn, say('¿Cuál es mi saldo?'))).toEqual({ kind: 'understand' });
  });
});

describe('understood: what an engine’s understanding starts', () => {
  const base = { correlation_id: CORR, user_id: 'user-ana', connection_id: 'conn-ana-1', locale: 'es' as const };

  it('starts a turn for a tool call whose arguments pass the tool’s schema', () => {
    // Act
    const outcome = understood({ kind: 'tool', call: { name: 'get_balance', args: {} } }, base, fixedTokens());

    // Assess
    expect(outcome.kind).toBe('start');
    expect(outcome.kind === 'start' && publishedBy(outcome.transition).map((r) => [r.detailType, r.detail.request_id])).toEqual([['BALANCE_QUERY', `${CORR}-send`]]);
  });

  it('refuses, with words and the reason for the logs, a tool call whose arguments break its schema', () => {
    // Act
    const outcome = understood({ kind: 'tool', call: { name: 'transfer_funds', args: { amount: -5, beneficiary: 'mi hermano' } } }, base, fixedTokens());

    // Assess
    expect(outcome).toEqual({ kind: 'say', text: expect.stringContaining('No entendí qué necesitas'), problem: expect.stringContaining('amount') });
  });

  it.each([
    ['greeting', { kind: 'greeting' } as const, '¡Hola!'],
    ['help', { kind: 'help' } as const, 'Prueba con'],
    ['a reply', { kind: 'reply', text: 'Claro.' } as const, 'Claro.'],
    ['nothing', { kind: 'unknown' } as const, 'No entendí qué necesitas'],
  ])('tells %s', (_name, understanding, text) => {
    expect(understood(understanding, base, fixedTokens())).toEqual({ kind: 'say', text: expect.stringContaining(text) });
  });
});

describe('confirmationRefused', () => {
  it('tells the refusal and leaves the turn as it was', () => {
    // Prepare
    const { confirming } = transferToConfirmation();

    // Act
    const refused = confirmationRefused(confirming.turn, 'La confirmación expiró.');

    // Assess
    expect(refused.turn).toBe(confirming.turn);
    expect(repliesOf(refused)).toEqual([{ kind: 'error', text: 'La confirmación expiró.', correlation_id: CORR, locale: 'es' }]);
  });
});

describe('an operation above the customer’s MTU in the chat', () => {
  const MTU = { amount: 1_275_000, currency: 'MXN', formatted_amount: '$12,750.00 MXN', is_default: true, udis: 1500, max_amount: 10_000_000, formatted_max_amount: '$100,000.00 MXN' };
  const PAGE = 'https://centli.example/approve.html';
  const withApprovals = (): ConfirmationOpener => ({
    ...fixedTokens(),
    approve: (fields) => {
      const opened = openApproval({ ...fields, stepUp: true }, new Date(Date.parse(EXPIRES_AT) - 300_000), 'ap_0123456789abcdefghijkl');
      return { ...opened, url: approvalUrl(PAGE, opened.approval.approval_id) };
    },
  });
  function bigTransfer(opener: ConfirmationOpener) {
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'mi hermano', amount: 2_000_000 } }, opener);
    const afterAlias = answered(start.turn, resolution(onlyRequest(start), HERMANO), opener) as Transition;
    const accountsQuery = onlyRequest(afterAlias);
    const withMtu = balances(accountsQuery);
    return answered(afterAlias.turn, { ...withMtu, detail: { ...withMtu.detail, mtu: MTU } }, opener) as Transition;
  }

  it('answers with a link to approve it on the page with the second factor, instead of a confirmation a yes could take', () => {
    // Act
    const transition = bigTransfer(withApprovals());

    // Assess
    const approvals = transition.effects.flatMap((effect) => (effect.kind === 'approval' ? [effect.approval] : []));
    expect(approvals).toEqual([expect.objectContaining({ approval_id: 'ap_0123456789abcdefghijkl', user_id: 'user-ana', tool: 'transfer_funds', step_up: true, status: 'pending', request: { detailType: 'TRANSFER_REQUEST', detail: expect.objectContaining({ amount: 2_000_000 }) } })]);
    expect(transition.effects.some((effect) => effect.kind === 'confirmation')).toBe(false);
    expect(publishedBy(transition)).toEqual([]);
    expect(repliesOf(transition)).toEqual([
      expect.objectContaining({ kind: 'answer', approval_url: `${PAGE}?id=ap_0123456789abcdefghijkl`, text: expect.stringContaining(`apruébalo con tu llave de acceso en ${PAGE}?id=ap_0123456789abcdefghijkl`) }),
    ]);
    expect(transition.turn).toMatchObject({ status: 'approving', approval_id: 'ap_0123456789abcdefghijkl' });
  });

  it('takes a yes or a no on the turn waiting for its approval as about that approval', () => {
    // Prepare
    const { turn } = bigTransfer(withApprovals());
    const message = { userId: 'user-ana', text: 'sí', locale: 'es' as const, owed: false };

    // Act & Assess
    expect(onMessage(turn, { ...message, said: 'confirm' })).toEqual({ kind: 'approval', turn, yes: true });
    expect(onMessage(turn, { ...message, said: 'cancel' })).toEqual({ kind: 'approval', turn, yes: false });
  });

  it('sends the approved request once approved, with the factor, under the approval’s own request_id; and ends the turn otherwise', () => {
    // Prepare
    const { turn } = bigTransfer(withApprovals());
    const approval = { approval_id: 'ap_0123456789abcdefghijkl', request: turn.request as ToolRequest, step_up: true, second_factor_at: '2026-11-26T16:00:30.000Z' };

    // Act
    const sent = runApproved(turn, approval);
    const other = runApproved(turn, { ...approval, approval_id: 'ap_another00000000000000' });
    const ended = approvalEnded(turn, 'El cliente lo rechazó: no se hizo nada.');

    // Assess
    expect(onlyRequest(sent)).toEqual({ detailType: 'TRANSFER_REQUEST', detail: expect.objectContaining({ amount: 2_000_000, second_factor_at: '2026-11-26T16:00:30.000Z', request_id: approvedRequestId(approval.approval_id), user_id: 'user-ana' }) });
    expect(sent?.turn.status).toBe('sending');
    expect(other).toBeUndefined();
    expect(ended?.turn.status).toBe('done');
    expect(publishedBy(ended)).toEqual([]);
  });

  it('refuses it, moving nothing, where the door has no approval page', () => {
    const transition = bigTransfer(fixedTokens());

    expect(publishedBy(transition)).toEqual([]);
    expect(repliesOf(transition)).toEqual([expect.objectContaining({ kind: 'error', text: expect.stringContaining('no hice nada') })]);
  });

  it('takes a yes for an amount within the MTU as before', () => {
    const steps = transferToConfirmation();

    expect(repliesOf(steps.confirming)).toEqual([expect.objectContaining({ kind: 'confirmation' })]);
  });
});

describe('a SPEI transfer turn, as pure transitions', () => {
  /** Ana's "mándale 250 al plomero" (Banorte, by CLABE), confirmed: the SPEI request is out. */
  function confirmedSpei() {
    const tokens = fixedTokens();
    const start = startTurn({ ...ANA, tool: 'transfer_funds', args: { beneficiary: 'el plomero', amount: 25000 } }, tokens);
    const afterAlias = answered(start.turn, resolution(onlyRequest(start), PLOMERO), tokens) as Transition;
    const confirming = answered(afterAlias.turn, balances(onlyRequest(afterAlias)), tokens) as Transition;
    const sending = confirmed(delivered(confirming.turn));
    return { tokens, confirming, sending, speiRequest: onlyRequest(sending) };
  }
  const TRANSFER_ID = 'spei-7d1c0b9e4a2f';
  const CLAVE = 'CNT20261126000042';
  const started = (request: OutgoingRequest) => answerTo(request, 'SPEI_TRANSFER_STARTED', { transfer_id: TRANSFER_ID, clave_rastreo: CLAVE, started_at: '2026-11-26T16:00:01.000Z' });
  const sent = (request: OutgoingRequest) =>
    answerTo(request, 'SPEI_TRANSFER_SENT', {
      transfer_id: TRANSFER_ID,
      clave_rastreo: CLAVE,
      from_account_id: 'acc-ana-nomina-4821',
      to_clabe: PLOMERO.clabe,
      beneficiary_name: 'Juan Pérez',
      receiving_bank: 'Banorte',
      amount: 25000,
      currency: 'MXN',
      formatted_amount: '$250.00 MXN',
      sent_at: '2026-11-26T16:00:02.000Z',
    });

  it('asks the customer to confirm a SPEI transfer, and sends exactly what they confirmed once they say yes', () => {
    // Act
    const { confirming, speiRequest } = confirmedSpei();

    // Assess
    expect(repliesOf(confirming).map((m) => [m.kind, m.text])).toEqual([['confirmation', '¿Envío $250.00 MXN por SPEI a Juan Pérez (el plomero) en Banorte (CLABE ****3213), desde tu Cuenta Nómina ****4821?']]);
    expect(speiRequest).toEqual({
      detailType: 'SPEI_TRANSFER_REQUEST',
      detail: { from_account_id: 'acc-ana-nomina-4821', to_clabe: PLOMERO.clabe, beneficiary_name: 'Juan Pérez', amount: 25000, currency: 'MXN', request_id: expect.any(String), correlation_id: CORR, user_id: 'user-ana' },
    });
  });

  it('notes the transfer id of SPEI_TRANSFER_STARTED without telling anything, then tells SPEI_TRANSFER_SENT at once and waits on', () => {
    // Prepare
    const { sending, speiRequest, tokens } = confirmedSpei();

    // Act
    const noted = answered(sending.turn, started(speiRequest), tokens) as Transition;
    const told = answered(noted.turn, sent(speiRequest), tokens) as Transition;
    const again = answered(told.turn, sent(speiRequest), tokens);

    // Assess
    expect(noted.effects).toEqual([]);
    expect(noted.turn).toMatchObject({ status: 'sending', transfer_id: TRANSFER_ID });
    expect(repliesOf(told)).toEqual([
      {
        kind: 'answer',
        text: `Envié $250.00 MXN por SPEI a Juan Pérez (Banorte, CLABE ****3213). Clave de rastreo ${CLAVE}. Te aviso cuando se liquide.`,
        correlation_id: CORR,
        locale: 'es',
        data: { detail_type: 'SPEI_TRANSFER_SENT' },
        transfer_id: TRANSFER_ID,
      },
    ]);
    expect(told.turn.status).toBe('sending');
    expect(again).toBeUndefined();
  });

  it('tells the settled transfer with its clave, and ends the turn', () => {
    // Prepare
    const { sending, speiRequest, tokens } = confirmedSpei();
    const told = answered((answered(sending.turn, started(speiRequest), tokens) as Transition).turn, sent(speiRequest), tokens) as Transition;
    const completed = answerTo(speiRequest, 'TRANSFER_COMPLETED', {
      transaction_id: 'tx-spei-1',
      from_account_id: 'acc-ana-nomina-4821',
      to_account_id: 'acc-centli-spei-settlement',
      amount: 25000,
      currency: 'MXN',
      formatted_amount: '$250.00 MXN',
      completed_at: '2026-11-26T16:00:03.000Z',
      spei: { transfer_id: TRANSFER_ID, clave_rastreo: CLAVE, to_clabe: PLOMERO.clabe, beneficiary_name: 'Juan Pérez', receiving_bank: 'Banorte', settled_at: '2026-11-26T16:00:03.000Z' },
    });

    // Act
    const done = answered(told.turn, completed, tokens);
    const late = done && answered(done.turn, sent(speiRequest), tokens);

    // Assess
    expect(repliesOf(done).map((m) => [m.kind, m.text, m.transfer_id])).toEqual([
      ['answer', `Tu transferencia SPEI de $250.00 MXN a Juan Pérez (Banorte, CLABE ****3213) se liquidó: ya está en su cuenta. Clave de rastreo ${CLAVE}.`, TRANSFER_ID],
    ]);
    expect(done?.turn.status).toBe('done');
    expect(late).toBeUndefined();
  });

  it('tells a returned transfer as an error that gave the money back, and ends the turn', () => {
    // Prepare
    const { sending, speiRequest, tokens } = confirmedSpei();
    const told = answered((answered(sending.turn, started(speiRequest), tokens) as Transition).turn, sent(speiRequest), tokens) as Transition;
    const returned = answerTo(speiRequest, 'TRANSFER_FAILED', { reason: 'SPEI.RETURNED', message: 'Returned.', params: { clave_rastreo: CLAVE, return_reason: 'cuenta_inexistente' } });

    // Act
    const done = answered(told.turn, returned, tokens);

    // Assess
    expect(repliesOf(done).map((m) => [m.kind, m.text])).toEqual([
      ['error', `Tu transferencia SPEI a Juan Pérez regresó. Banorte la devolvió: la cuenta no existe. Te regresé $250.00 MXN; ya está de vuelta en tu cuenta. Clave de rastreo ${CLAVE}.`],
    ]);
    expect(done?.turn.status).toBe('done');
  });

  it('tells a settlement that overtook SPEI_TRANSFER_SENT once, and ignores the late SENT and STARTED', () => {
    // Prepare
    const { sending, speiRequest, tokens } = confirmedSpei();
    const completed = answerTo(speiRequest, 'TRANSFER_COMPLETED', {
      transaction_id: 'tx-spei-2',
      from_account_id: 'acc-ana-nomina-4821',
      to_account_id: 'acc-centli-spei-settlement',
      amount: 25000,
      currency: 'MXN',
      formatted_amount: '$250.00 MXN',
      completed_at: '2026-11-26T16:00:03.000Z',
      spei: { transfer_id: TRANSFER_ID, clave_rastreo: CLAVE, to_clabe: PLOMERO.clabe, beneficiary_name: 'Juan Pérez', settled_at: '2026-11-26T16:00:03.000Z' },
    });

    // Act
    const done = answered(sending.turn, completed, tokens) as Transition;
    const lateSent = answered(done.turn, sent(speiRequest), tokens);
    const lateStart = answered(done.turn, started(speiRequest), tokens);

    // Assess
    expect(repliesOf(done).map((m) => m.text)).toEqual([`Tu transferencia SPEI de $250.00 MXN a Juan Pérez (Banorte, CLABE ****3213) se liquidó: ya está en su cuenta. Clave de rastreo ${CLAVE}.`]);
    expect(done.turn.status).toBe('done');
    expect(lateSent).toBeUndefined();
    expect(lateStart).toBeUndefined();
  });

  it('tells a refused hold (before anything was sent) as a transfer’s refusal', () => {
    // Prepare
    const { sending, speiRequest, tokens } = confirmedSpei();

    // Act
    const done = answered(sending.turn, answerTo(speiRequest, 'TRANSFER_FAILED', { reason: 'TRANSFER.DAILY_LIMIT_EXCEEDED', message: 'Daily limit.', params: { limit: { amount: 10_000_000, currency: 'MXN' } } }), tokens);

    // Assess
    expect(repliesOf(done).map((m) => [m.kind, m.text])).toEqual([['error', 'Esta transferencia rebasaría tu límite diario de $100,000.00 MXN. No se movió dinero.']]);
    expect(done?.turn.status).toBe('done');
  });
});
