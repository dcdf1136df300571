/**
 * Calendar periods a customer names ("ayer", "esta semana", "last month") as the two instants
 * that bound them, for a transaction query. A day is the customer's local day, in their time
 * zone, so "ayer" in Mexico City is 06:00Z to 05:59:59.999Z. Time-zone arithmetic uses Intl
 * only; daylight-saving days are 23 or 25 hours long and still end one millisecond before the
 * next local midnight.
 */
import { addDays, addMonths, calendarDate, startOfDay, weekday, type CalendarDate } from '@centli/pure/calendar';

export type PeriodName = 'today' | 'yesterday' | 'day_before_yesterday' | 'this_week' | 'last_week' | 'this_month' | 'last_month';

/** A period as ISO 8601 UTC instants, both inclusive. */
export interface PeriodBounds {
  from: string;
  to: string;
}


/**
 * The instants bounding a named period in a time zone, seen from `now`. Periods that include
 * today ("hoy", "esta semana", "este mes") end at `now`; weeks start on Monday.
 */
export function periodBounds(period: PeriodName, now: Date, timeZone: string): PeriodBounds {
  const today = calendarDate(now, timeZone);
  const untilNow = (start: CalendarDate): PeriodBounds => ({ from: iso(startOfDay(start, timeZone)), to: now.toISOString() });
  const days = (start: CalendarDate, endExclusive: CalendarDate): PeriodBounds => ({
    from: iso(startOfDay(start, timeZone)),
    to: iso(startOfDay(endExclusive, timeZone) - 1),
  });
  const monday = addDays(today, -((weekday(today) + 6) % 7));
  const firstOfMonth = { ...today, day: 1 };
  switch (period) {
    case 'today':
      return untilNow(today);
    case 'yesterday':
      return days(addDays(today, -1), today);
    case 'day_before_yesterday':
      return days(addDays(today, -2), addDays(today, -1));
    case 'this_week':
      return untilNow(monday);
    case 'last_week':
      return days(addDays(monday, -7), monday);
    case 'this_month':
      return untilNow(firstOfMonth);
    case 'last_month':
      return days(addMonths(firstOfMonth, -1), firstOfMonth);
  }
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
