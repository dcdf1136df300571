import fc from 'fast-check';
import { isValidClabe, makeClabe } from '@centli/pure/clabe';
import type { SpeiTransferRequest } from '@centli/schemas';
import {
  bankName,
  cepOf,
  checkSpeiClabe,
  claveRastreoFor,
  giveBackTransactionId,
  planHold,
  settleTransactionId,
  speiSagaInput,
  speiTransferId,
  statusOf,
  type SpeiAccounts,
} from '../../../../../services/core-banking/src/domain/spei-out';
import { newPayeeKey } from '../../../../../services/core-banking/src/domain/transfer';
import { limits } from '../fixtures';

const accounts: SpeiAccounts = {
  inTransit: { account_id: 'acc-spei-transito-0001', user_id: 'bank-spei' },
  settlement: { account_id: 'acc-spei-liquidacion-0001', user_id: 'bank-spei' },
};

const mama = '002180012345678906';
const request: SpeiTransferRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  from_account_id: 'acc-ana-nomina-4821',
  to_clabe: mama,
  beneficiary_name: 'María Elena Ruiz',
  amount: 25_000,
  currency: 'MXN',
  description: 'Renta de marzo',
};

describe('speiTransferId and claveRastreoFor', () => {
  it('derive the same transfer and clave from the same request, every time', () => {
    expect(speiTransferId(request)).toBe(speiTransferId({ ...request }));
    expect(claveRastreoFor(speiTransferId(request))).toBe(claveRastreoFor(speiTransferId(request)));
  });

  it('keep one customer’s request id apart from another’s', () => {
    expect(speiTransferId(request)).not.toBe(speiTransferId({ ...request, user_id: 'user-luis' }));
  });

  it('give ids an execution can be named by, and claves SPEI accepts (1 to 30 letters and digits), distinct for distinct requests', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (user, a, b) => {
        const first = speiTransferId({ user_id: user, request_id: a });
        expect(first).toMatch(/^[A-Za-z0-9-]{1,80}$/);
        expect(claveRastreoFor(first)).toMatch(/^[A-Za-z0-9]{1,30}$/);
        if (a !== b) expect(claveRastreoFor(first)).not.toBe(claveRastreoFor(speiTransferId({ user_id: user, request_id: b })));
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('puts the request, its ids and the configured timeout in the saga’s input', () => {
    expect(speiSagaInput(request, 5)).toEqual({ transfer_id: speiTransferId(request), clave_rastreo: claveRastreoFor(speiTransferId(request)), timeout_seconds: 5, request });
  });
});

describe('checkSpeiClabe', () => {
  it('accepts another bank’s valid CLABE', () => {
    expect(() => checkSpeiClabe(mama, '999')).not.toThrow();
  });

  it('refuses Centli’s own bank code: a Centli account is paid by a transfer between accounts', () => {
    expect(() => checkSpeiClabe(makeClabe({ bank: '999', plaza: '180', account: '10000048210' }), '999')).toThrow(expect.objectContaining({ code: 'TRANSFER.OWN_BANK_CLABE', field: 'to_clabe' }));
  });

  it('refuses a CLABE whose check digit is wrong', () => {
    const wrong = `${mama.slice(0, 17)}${(Number(mama[17]) + 1) % 10}`;
    expect(isValidClabe(wrong)).toBe(false);
    expect(() => checkSpeiClabe(wrong, '999')).toThrow(expect.objectContaining({ code: 'TRANSFER.INVALID_CLABE' }));
  });
});

describe('bankName', () => {
  it.each([
    ['002', 'Banamex'],
    ['012', 'BBVA México'],
    ['014', 'Santander'],
    ['072', 'Banorte'],
    ['646', 'STP'],
    ['999', 'Centli'],
    ['321', 'Banco 321'],
  ])('names the bank of code %s', (code, name) => {
    expect(bankName(`${code}180000000000000`)).toBe(name);
  });
});

describe('planHold', () => {
  const at = new Date('2026-12-06T18:00:00.000Z');
  const input = { transfer_id: speiTransferId(request), clave_rastreo: claveRastreoFor(speiTransferId(request)), request };

  it('holds the amount from the customer into the in-transit account, the customer’s entry naming the payee and the clave', () => {
    const plan = planHold(input, accounts, limits, at, 'hash');
    const [debit, credit] = plan.transfer.entries;
    expect(debit).toMatchObject({ account_id: request.from_account_id, user_id: 'user-ana', direction: 'debit', amount: 25_000, counterparty_account_id: 'acc-spei-transito-0001', counterparty_name: 'María Elena Ruiz', counterparty_bank: 'Banamex', clave_rastreo: input.clave_rastreo });
    expect(credit).toMatchObject({ account_id: 'acc-spei-transito-0001', user_id: 'bank-spei', direction: 'credit', amount: 25_000 });
    expect(plan.transfer.dailyRoom).toBe(limits.dailyLimit - 25_000);
  });

  it('records the order the participant will get, the same order however often it is planned', () => {
    const first = planHold(input, accounts, limits, at, 'hash');
    const later = planHold(input, accounts, limits, new Date(at.getTime() + 60_000), 'hash');
    expect(first.record.order).toEqual({ order_id: input.transfer_id, clave_rastreo: input.clave_rastreo, clabe: mama, amount: 25_000, beneficiary_name: 'María Elena Ruiz', concepto: 'Renta de marzo' });
    expect(later.record.order).toEqual(first.record.order);
    expect(first.record).toMatchObject({ status: 'held', hold_transaction_id: first.transfer.transactionId, receiving_bank: 'Banamex' });
  });

  it('counts a new payee by the CLABE it pays, not the in-transit account every SPEI transfer shares', () => {
    const plan = planHold({ ...input, request: { ...request, new_payee_since: new Date(at.getTime() - 3600_000).toISOString() } }, accounts, limits, at, 'hash');
    expect(plan.transfer.newPayee?.key).toBe(newPayeeKey('user-ana', mama));
  });

  it('holds the MTU as a transfer does: above it, only with a fresh second factor', () => {
    const above = { ...request, amount: limits.defaultMtu + 1 };
    expect(planHold({ ...input, request: above }, accounts, limits, at, 'hash').transfer.mtu).toBeDefined();
    expect(planHold({ ...input, request: { ...above, second_factor_at: at.toISOString() } }, accounts, limits, at, 'hash').transfer.mtu).toBeUndefined();
  });
});

describe('the end of a transfer', () => {
  it('settles and gives back under different, stable transaction ids', () => {
    const id = speiTransferId(request);
    expect(settleTransactionId(id)).toBe(settleTransactionId(id));
    expect(settleTransactionId(id)).not.toBe(giveBackTransactionId(id));
  });

  it.each([
    ['held', 'in_transit'],
    ['sent', 'in_transit'],
    ['liquidada', 'settled'],
    ['devuelta', 'returned'],
    ['timed_out', 'timed_out'],
  ] as const)('tells an order %s as %s', (status, told) => {
    const { record } = planHold({ transfer_id: 't', clave_rastreo: 'C1', request }, accounts, limits, new Date(), 'hash');
    expect(statusOf({ ...record, status })).toBe(told);
  });

  it('gives the CEP’s fields with the date in Mexico City', () => {
    // 02:00 UTC on the 7th is still the 6th in Mexico City.
    const { record } = planHold({ transfer_id: 't', clave_rastreo: 'CENTLI1', request }, accounts, limits, new Date('2026-12-07T02:00:00.000Z'), 'hash');
    expect(cepOf(record)).toEqual({
      date: '2026-12-06',
      sending_bank: 'Centli',
      receiving_bank: 'Banamex',
      beneficiary_name: 'María Elena Ruiz',
      beneficiary_account_ending: '8906',
      amount: 25_000,
      currency: 'MXN',
      formatted_amount: expect.stringContaining('250.00'),
      clave_rastreo: 'CENTLI1',
      concepto: 'Renta de marzo',
      check_url: 'https://www.banxico.org.mx/cep/',
    });
  });
});
