import fc from 'fast-check';
import { DEFAULT_MTU, describeMtu, MAX_MTU, mtuFromUdis, mtuGuard, mtuKey, mtuOf, planMtuChange, udiMicros } from '../../../../../services/core-banking/src/domain/mtu';
import { explainRefusal, planTransfer } from '../../../../../services/core-banking/src/domain/transfer';
import { explainChargeRefusal, planCharge } from '../../../../../services/core-banking/src/domain/payment';
import { PaymentSecondFactorRequiredError, SecondFactorRequiredError } from '../../../../../services/core-banking/src/errors';
import { chargeRequest, limits } from '../fixtures';

const now = new Date('2026-12-06T18:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

describe('the MTU in UDIs', () => {
  it('is 1,500 UDIs at MXN 8.5 by default: MXN 12,750.00 in centavos', () => {
    expect(DEFAULT_MTU).toBe(1_275_000);
    expect(MAX_MTU).toBe(10_000_000);
  });

  it.each([
    ['8.5', 8_500_000, 1_275_000],
    ['8.456789', 8_456_789, 1_268_518],
    ['10', 10_000_000, 1_500_000],
  ])('reads a UDI value of %s MXN exactly and converts 1,500 UDIs to centavos', (text, micros, mtu) => {
    expect(udiMicros(text)).toBe(micros);
    expect(mtuFromUdis(1500, micros)).toBe(mtu);
  });

  it.each(['', 'abc', '8,5', '-1', '8.1234567'])('refuses %j as a UDI value', (text) => {
    expect(() => udiMicros(text)).toThrow(RangeError);
  });

  it('is the customer’s own when they set one, the default otherwise', () => {
    expect(mtuOf({ mtu: 500_000 }, DEFAULT_MTU)).toBe(500_000);
    expect(mtuOf(undefined, DEFAULT_MTU)).toBe(DEFAULT_MTU);
    expect(mtuOf({}, DEFAULT_MTU)).toBe(DEFAULT_MTU);
  });
});

describe('mtuGuard', () => {
  it('checks the customer’s MTU item unless a second factor of the last 10 minutes came with the request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.option(fc.integer({ min: -1, max: 30 }), { nil: undefined }), (amount, minutes) => {
        // Act
        const guard = mtuGuard('user-ana', amount, minutes === undefined ? undefined : minutesAgo(minutes), DEFAULT_MTU, now);

        // Assess
        const fresh = minutes !== undefined && minutes <= 10;
        expect(guard === undefined).toBe(fresh);
        if (guard) {
          expect(guard.key).toBe(mtuKey('user-ana'));
          expect(guard.values).toEqual({ ':amount': amount });
          // Within the default, no item will do; above it, only an item of at least the amount.
          expect(guard.condition).toBe(amount <= DEFAULT_MTU ? 'attribute_not_exists(mtu) OR mtu >= :amount' : 'mtu >= :amount');
        }
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('holds a movement in another currency to the factor whatever the amount: only an MTU item in that currency, which none is, would let it through', () => {
    expect(mtuGuard('user-ana', 1, undefined, DEFAULT_MTU, now, 'USD')).toEqual({ key: 'mtu#user-ana', condition: 'currency = :currency AND mtu >= :amount', values: { ':amount': 1 }, strings: { ':currency': 'USD' } });
    expect(mtuGuard('user-ana', 1, minutesAgo(1), DEFAULT_MTU, now, 'USD')).toBeUndefined();
  });

  it('takes no factor from the future, nor one that is not a date', () => {
    expect(mtuGuard('user-ana', 2_000_000, new Date(now.getTime() + 5 * 60_000).toISOString(), DEFAULT_MTU, now)).toBeDefined();
    expect(mtuGuard('user-ana', 2_000_000, 'yesterday', DEFAULT_MTU, now)).toBeDefined();
  });
});

describe('the MTU in a transfer and a charge', () => {
  const transfer = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', from_account_id: 'acc-ana', to_account_id: 'acc-luis', amount: 2_000_000, currency: 'MXN' };

  it('plans the check into the transfer, and leaves it out with a fresh factor', () => {
    expect(planTransfer(transfer, 'user-luis', limits, now).mtu).toEqual({ key: 'mtu#user-ana', condition: 'mtu >= :amount', values: { ':amount': 2_000_000 } });
    expect(planTransfer({ ...transfer, second_factor_at: minutesAgo(2) }, 'user-luis', limits, now).mtu).toBeUndefined();
    expect(planTransfer({ ...transfer, second_factor_at: minutesAgo(11) }, 'user-luis', limits, now).mtu).toBeDefined();
  });

  it('explains a refused MTU as TRANSFER.SECOND_FACTOR_REQUIRED with the MTU that held', () => {
    const own = explainRefusal(transfer, { mtu: { mtu: 500_000 } }, limits);
    const byDefault = explainRefusal(transfer, { mtu: {} }, limits);

    expect(own).toBeInstanceOf(SecondFactorRequiredError);
    expect(own).toMatchObject({ code: 'TRANSFER.SECOND_FACTOR_REQUIRED', params: { mtu: { amount: 500_000, currency: 'MXN' } }, field: 'amount' });
    expect(byDefault).toMatchObject({ params: { mtu: { amount: limits.defaultMtu, currency: 'MXN' } } });
  });

  it('plans the check into the charge and explains its refusal as PURCHASE.SECOND_FACTOR_REQUIRED', () => {
    const request = { ...chargeRequest, amount: 2_000_000 };

    expect(planCharge(request, 'payment#user-ana#pur_1', 'ret-1', now).mtu).toMatchObject({ key: `mtu#${request.user_id}`, condition: 'mtu >= :amount' });
    expect(planCharge({ ...request, second_factor_at: minutesAgo(1) }, 'payment#user-ana#pur_1', 'ret-1', now).mtu).toBeUndefined();
    const refusal = explainChargeRefusal(request, { mtu: {} });
    expect(refusal).toBeInstanceOf(PaymentSecondFactorRequiredError);
    expect(refusal).toMatchObject({ name: 'PaymentSecondFactorRequiredError', code: 'PURCHASE.SECOND_FACTOR_REQUIRED' });
  });
});

describe('planMtuChange', () => {
  const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', amount: 2_000_000 };

  it('writes the new MTU only where the current one is at least it, unless a fresh factor came with the request', () => {
    // Act
    const without = planMtuChange(request, DEFAULT_MTU, now);
    const withFactor = planMtuChange({ ...request, second_factor_at: minutesAgo(3) }, DEFAULT_MTU, now);

    // Assess
    expect(without.item).toEqual({ pk: 'mtu#user-ana', user_id: 'user-ana', currency: 'MXN', mtu: 2_000_000, updated_at: now.toISOString() });
    expect(without.guard).toEqual({ key: 'mtu#user-ana', condition: 'mtu >= :amount', values: { ':amount': 2_000_000 } });
    expect(withFactor.guard).toBeUndefined();
    expect(without.completed).toEqual({ detailType: 'MTU_SET', detail: { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', mtu: describeMtu({ mtu: 2_000_000 }, DEFAULT_MTU), set_at: now.toISOString() } });
  });
});
