/**
 * What a customer may still transfer: for each active account, the largest single transfer, the
 * most it may send in a calendar day (the day of the limits' time zone) and what it sent and may
 * still send today. The day's debits are what the transfers' day counters hold (one per account
 * and day, written in the same transaction as each transfer), so this says exactly what the next
 * transfer will be held to. Pure.
 */
import { addDays, calendarDate, calendarDay, startOfDay } from '@centli/pure/calendar';
import { formatMoney } from '@centli/pure/money';
import type { AccountLimits, LimitsResponse } from '@centli/schemas';
import type { Account } from './account';
import type { TransferLimits } from './transfer';

/** The key of an account's debit counter for a day: what the transfer writes and the limits read. */
export function dailyCounterKey(accountId: string, day: string): string {
  return `daily#${accountId}#${day}`;
}

/** The day the limits count in, and the instant the next one starts. */
export function limitsDay(now: Date, timeZone: string): { day: string; resetsAt: string } {
  const today = calendarDate(now, timeZone);
  return { day: calendarDay(now, timeZone), resetsAt: new Date(startOfDay(addDays(today, 1), timeZone)).toISOString() };
}

/**
 * The limits of each active account (frozen and closed accounts send nothing), given what each
 * has debited today, by account id.
 */
export function describeLimits(accounts: readonly Account[], debitedToday: ReadonlyMap<string, number>, limits: TransferLimits, now: Date): Pick<LimitsResponse, 'day' | 'time_zone' | 'resets_at' | 'accounts' | 'new_payee'> {
  const { day, resetsAt } = limitsDay(now, limits.timeZone);
  const rows = [...accounts]
    .filter((account) => account.status === 'active')
    .sort((a, b) => a.account_id.localeCompare(b.account_id))
    .map((account): AccountLimits => {
      const used = debitedToday.get(account.account_id) ?? 0;
      const remaining = Math.max(0, limits.dailyLimit - used);
      const format = (amount: number) => formatMoney(amount, account.currency);
      return {
        account_id: account.account_id,
        ...(account.name === undefined ? {} : { name: account.name }),
        currency: account.currency,
        per_transfer_limit: limits.maxAmount,
        daily_limit: limits.dailyLimit,
        used_today: used,
        remaining_today: remaining,
        formatted_per_transfer_limit: format(limits.maxAmount),
        formatted_daily_limit: format(limits.dailyLimit),
        formatted_used_today: format(used),
        formatted_remaining_today: format(remaining),
      };
    });
  // The new-payee limit is in the customer's main currency: their accounts' first, MXN for a customer with none.
  const currency = rows[0]?.currency ?? 'MXN';
  const newPayee = { limit: limits.newPayeeLimit, currency, formatted_limit: formatMoney(limits.newPayeeLimit, currency), hours: limits.newPayeeHours };
  return { day, time_zone: limits.timeZone, resets_at: resetsAt, accounts: rows, new_payee: newPayee };
}
