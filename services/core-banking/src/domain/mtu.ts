/**
 * The customer's MTU (monto transaccional del usuario, CNBV): the amount above which a money
 * movement needs a second authentication factor. Kept per customer in the ledger controls table
 * (`mtu#<user_id>`, in centavos); a customer who never set one has the default, 1,500 UDIs at
 * the stage's UDI value. The transfer and the purchase charge check it with a ConditionCheck in
 * their own transaction (see `mtuGuard`), so a change of the MTU cannot slip between the check
 * and the money. Pure.
 */
import { formatMoney } from '@centli/pure/money';
import { hasFreshSecondFactor } from '@centli/pure/step-up';
import type { OutgoingEvent } from '@centli/pure/events';
import type { Mtu, MtuSet, MtuSetRequest } from '@centli/schemas';

/** The CNBV's default MTU, in UDIs. */
export const DEFAULT_MTU_UDIS = 1500;

/** The UDI's value in MXN when the stage sets none (`CENTLI_UDI_MXN`). */
export const DEFAULT_UDI_MXN = '8.5';

/** The most a customer may set their MTU to: MXN 100,000.00, in centavos. */
export const MAX_MTU = 10_000_000;

/** The MTU item of a customer in the ledger controls table. */
export const mtuKey = (userId: string): string => `mtu#${userId}`;

/** A UDI value written in MXN (`8.5`, `8.456789`: up to six decimals) in millionths of a peso, exactly. */
export function udiMicros(text: string): number {
  const match = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`a UDI value is MXN with up to six decimals, not ${JSON.stringify(text)}`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** `udis` UDIs in centavos at a UDI value of `micros` millionths of a peso, rounded to the centavo. */
export function mtuFromUdis(udis: number, micros: number): number {
  return Math.round((udis * micros) / 10_000);
}

/** The default MTU at the default UDI value: MXN 12,750.00. */
export const DEFAULT_MTU = mtuFromUdis(DEFAULT_MTU_UDIS, udiMicros(DEFAULT_UDI_MXN));

/** A customer's MTU item as stored. */
export interface MtuItem {
  pk: string;
  user_id: string;
  currency: 'MXN';
  /** Centavos (MXN). */
  mtu: number;
  updated_at: string;
}

/** The MTU that holds for a customer: theirs, or the default. */
export const mtuOf = (item: { mtu?: unknown } | undefined, defaultMtu: number): number => (typeof item?.mtu === 'number' ? item.mtu : defaultMtu);

/** The condition a customer's MTU item must meet for `amount` to move without a second factor. */
export interface MtuGuard {
  key: string;
  condition: string;
  values: Record<string, number>;
  strings?: Record<string, string>;
}

/** The customer's MTU as the responses tell it (`mtu` of BALANCE_RESPONSE and LIMITS_RESPONSE). */
export function describeMtu(item: { mtu?: unknown } | undefined, defaultMtu: number): Mtu {
  const amount = mtuOf(item, defaultMtu);
  const isDefault = typeof item?.mtu !== 'number';
  return {
    amount,
    currency: 'MXN',
    formatted_amount: formatMoney(amount, 'MXN'),
    is_default: isDefault,
    ...(isDefault ? { udis: DEFAULT_MTU_UDIS } : {}),
    max_amount: MAX_MTU,
    formatted_max_amount: formatMoney(MAX_MTU, 'MXN'),
  };
}

/**
 * What the transaction checks of the MTU for `amount`, or nothing when the request carries a
 * fresh second factor. Without an item the default holds, so an amount within the default needs
 * either no item or one at least the amount, and an amount above it needs an item at least the
 * amount (DynamoDB compares an attribute with a value, never two values).
 */
export function mtuGuard(userId: string, amount: number, secondFactorAt: string | undefined, defaultMtu: number, now: Date, currency = 'MXN'): MtuGuard | undefined {
  if (hasFreshSecondFactor(secondFactorAt, now)) return undefined;
  // The MTU is in pesos and the ledger knows no exchange rate: another currency always needs the factor (the item is never in it).
  if (currency !== 'MXN') return { key: mtuKey(userId), condition: 'currency = :currency AND mtu >= :amount', values: { ':amount': amount }, strings: { ':currency': currency } };
  return {
    key: mtuKey(userId),
    condition: amount <= defaultMtu ? 'attribute_not_exists(mtu) OR mtu >= :amount' : 'mtu >= :amount',
    values: { ':amount': amount },
  };
}

/** Everything setting the MTU writes, computed before its one transaction. */
export interface MtuChangePlan {
  item: MtuItem;
  /** What the current MTU must allow for the change to need no second factor; none when a fresh one came with the request. */
  guard?: MtuGuard;
  completed: OutgoingEvent<'MTU_SET'>;
  at: string;
}

/**
 * Setting the MTU to `amount`: lowering it (or keeping it) needs nothing, raising it a second factor
 * of the last 10 minutes. Which one it is depends on the MTU at the moment of the write, so the
 * write itself is conditioned on it (`mtuGuard` of the new amount: the current MTU is at least it).
 */
export function planMtuChange(request: Pick<MtuSetRequest, 'request_id' | 'correlation_id' | 'user_id' | 'amount' | 'second_factor_at'>, defaultMtu: number, now: Date): MtuChangePlan {
  const at = now.toISOString();
  const guard = mtuGuard(request.user_id, request.amount, request.second_factor_at, defaultMtu, now);
  const completed: MtuSet = { request_id: request.request_id, correlation_id: request.correlation_id, user_id: request.user_id, mtu: describeMtu({ mtu: request.amount }, defaultMtu), set_at: at };
  return {
    item: { pk: mtuKey(request.user_id), user_id: request.user_id, currency: 'MXN', mtu: request.amount, updated_at: at },
    ...(guard ? { guard } : {}),
    completed: { detailType: 'MTU_SET', detail: completed },
    at,
  };
}
