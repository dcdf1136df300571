/**
 * When a new card arrives: a number of business days after the day it is ordered, on the
 * calendar of Mexico City. Weekends do not count, nor Mexico's federal statutory holidays
 * (Ley Federal del Trabajo, art. 74): January 1, the first Monday of February, the third
 * Monday of March, May 1, September 16, October 1 of each sexennial change of government
 * (2024, 2030, …), the third Monday of November and December 25.
 */
import { addDays, calendarDate, isoDate, weekday, type CalendarDate } from '@centli/pure/calendar';

export type { CalendarDate };

export const DELIVERY_TIME_ZONE = 'America/Mexico_City';
export const DEFAULT_DELIVERY_BUSINESS_DAYS = 5;

/** The day of the month of the `nth` Monday of a month. */
function nthMonday(year: number, month: number, nth: number): number {
  const first = weekday({ year, month, day: 1 });
  return 1 + ((8 - first) % 7) + 7 * (nth - 1);
}

/** Whether a date is a federal statutory rest day in Mexico (see the module description). */
export function isMexicanHoliday(date: CalendarDate): boolean {
  const { year, month, day } = date;
  switch (month) {
    case 1:
      return day === 1;
    case 2:
      return day === nthMonday(year, 2, 1);
    case 3:
      return day === nthMonday(year, 3, 3);
    case 5:
      return day === 1;
    case 9:
      return day === 16;
    case 10:
      return day === 1 && year >= 2024 && (year - 2024) % 6 === 0;
    case 11:
      return day === nthMonday(year, 11, 3);
    case 12:
      return day === 25;
    default:
      return false;
  }
}

export function isBusinessDay(date: CalendarDate): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !isMexicanHoliday(date);
}

/** The `days`-th business day after `date` (the day itself never counts). */
export function addBusinessDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`business days must be a positive integer, got ${days}`);
  let current = date;
  for (let counted = 0; counted < days; ) {
    current = addDays(current, 1);
    if (isBusinessDay(current)) counted++;
  }
  return current;
}

/** The estimated delivery date (YYYY-MM-DD) of a card ordered at `orderedAt`. */
export function estimatedDelivery(orderedAt: Date, businessDays: number, timeZone: string = DELIVERY_TIME_ZONE): string {
  return isoDate(addBusinessDays(calendarDate(orderedAt, timeZone), businessDays));
}
