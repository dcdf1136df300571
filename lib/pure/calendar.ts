/**
 * Calendar days in a time zone: which day an instant falls on for a customer in Mexico City,
 * when that day starts, and day arithmetic with no clock in it. Dates are counted on UTC
 * midnights, so adding days never meets daylight saving. Pure.
 *
 * One formatter per zone, built on first use: building an Intl.DateTimeFormat costs about
 * 0.1 ms, more than the rest of a transfer's planning together. The zone comes from
 * configuration, so there are only ever one or two.
 */

/** A calendar date; months 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone. */
export function calendarDate(at: Date, timeZone: string): CalendarDate {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const [year, month, day] = format.format(at).split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function calendarDay(at: Date, timeZone: string): string {
  return isoDate(calendarDate(at, timeZone));
}

/** YYYY-MM-DD. */
export function isoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The date `days` days after (or before) another. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtc(new Date(Date.UTC(date.year, date.month - 1, date.day + days)));
}

/** The date `months` months after (or before) another; the day overflows as Date.UTC does. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  return fromUtc(new Date(Date.UTC(date.year, date.month - 1 + months, date.day)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The instant (epoch milliseconds) a calendar day starts in a time zone. */
export function startOfDay(date: CalendarDate, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const guess = wall - offsetAt(wall, timeZone);
  // The offset at the guess, not at the wall time read as UTC, is the one in force that day.
  return wall - offsetAt(guess, timeZone);
}

function fromUtc(utc: Date): CalendarDate {
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    clockFormats.set(timeZone, format);
  }
  const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(new Date(epochMs))) {
    if (part.type in wall) wall[part.type as keyof typeof wall] = Number(part.value);
  }
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSeconds;
}
