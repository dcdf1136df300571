/**
 * Calendar periods a customer names ("ayer", "esta semana", "last month") as the two instants
 * that bound them, for a transaction query. A day is the customer's local day, in their time
 * zone, so "ayer" in Mexico City is 06:00Z to 05:59:59.999Z. Time-zone arithmetic uses Intl
 * only; daylight-saving days are 23 or 25 hours long and still end one millisecond before the
 * next local midnight.
 */

export type PeriodName = 'today' | 'yesterday' | 'day_before_yesterday' | 'this_week' | 'last_week' | 'this_month' | 'last_month';

/** A period as ISO 8601 UTC instants, both inclusive. */
export interface PeriodBounds {
  from: string;
  to: string;
}

interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/**
 * The instants bounding a named period in a time zone, seen from `now`. Periods that include
 * today ("hoy", "esta semana", "este mes") end at `now`; weeks start on Monday.
 */
export function periodBounds(period: PeriodName, now: Date, timeZone: string): PeriodBounds {
  const today = localDate(now, timeZone);
  const untilNow = (start: CalendarDate): PeriodBounds => ({ from: iso(localMidnight(start, timeZone)), to: now.toISOString() });
  const days = (start: CalendarDate, endExclusive: CalendarDate): PeriodBounds => ({
    from: iso(localMidnight(start, timeZone)),
    to: iso(localMidnight(endExclusive, timeZone) - 1),
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(epochMs: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

function localDate(instant: Date, timeZone: string): CalendarDate {
  const { year, month, day } = wallClock(instant.getTime(), timeZone);
  return { year, month, day };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSeconds;
}

/** The instant a local calendar day starts in a time zone. */
function localMidnight(date: CalendarDate, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const guess = wall - offsetAt(wall, timeZone);
  // The offset at the guess, not at the wall time read as UTC, is the one in force that day.
  return wall - offsetAt(guess, timeZone);
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function addMonths(date: CalendarDate, months: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1 + months, date.day));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
