import { calendarDate } from '../../../../../lib/pure/calendar';
import {
  addBusinessDays,
  DELIVERY_TIME_ZONE,
  estimatedDelivery,
  isBusinessDay,
  isMexicanHoliday,
} from '../../../../../services/cards/src/domain/delivery';

const date = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

describe('isMexicanHoliday', () => {
  it.each([
    ['2026-01-01', 'New Year'],
    ['2026-02-02', 'Constitution Day, the first Monday of February'],
    ['2026-03-16', 'Juárez’s birthday, the third Monday of March'],
    ['2026-05-01', 'Labour Day'],
    ['2026-09-16', 'Independence Day'],
    ['2026-11-16', 'Revolution Day, the third Monday of November'],
    ['2026-12-25', 'Christmas'],
    ['2027-02-01', 'the first Monday of February 2027'],
    ['2027-03-15', 'the third Monday of March 2027'],
    ['2027-11-15', 'the third Monday of November 2027'],
    ['2030-10-01', 'the change of federal government (every six years from 2024)'],
  ])('%s is a holiday: %s', (iso) => {
    expect(isMexicanHoliday(date(iso))).toBe(true);
  });

  it.each(['2026-02-05', '2026-03-21', '2026-11-20', '2026-11-02', '2026-12-12', '2027-10-01', '2026-04-03'])('%s is not a federal statutory holiday', (iso) => {
    expect(isMexicanHoliday(date(iso))).toBe(false);
  });
});

describe('isBusinessDay', () => {
  it('skips weekends and holidays', () => {
    expect(isBusinessDay(date('2026-11-27'))).toBe(true); // Friday
    expect(isBusinessDay(date('2026-11-28'))).toBe(false); // Saturday
    expect(isBusinessDay(date('2026-11-29'))).toBe(false); // Sunday
    expect(isBusinessDay(date('2026-11-16'))).toBe(false); // a Monday holiday
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['a Monday, five days', '2026-11-23', 5, '2026-11-30'],
    ['a Friday, over the weekend', '2026-11-27', 1, '2026-11-30'],
    ['a Saturday, which itself never counts', '2026-11-28', 1, '2026-11-30'],
    ['the Friday before Revolution Day', '2026-11-13', 5, '2026-11-23'],
    ['across Christmas', '2026-12-24', 1, '2026-12-28'],
    ['across New Year', '2026-12-30', 2, '2027-01-04'],
    ['across Independence Day', '2026-09-14', 3, '2026-09-18'],
    ['across Labour Day on a Friday', '2026-04-29', 2, '2026-05-04'],
    ['across Constitution Day', '2026-01-30', 1, '2026-02-03'],
    ['across a leap day', '2028-02-25', 3, '2028-03-01'],
  ])('counts from %s', (_, from, days, expected) => {
    const result = addBusinessDays(date(from), days);
    expect(`${result.year}-${String(result.month).padStart(2, '0')}-${String(result.day).padStart(2, '0')}`).toBe(expected);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %p business days', (days) => {
    expect(() => addBusinessDays(date('2026-11-23'), days)).toThrow(RangeError);
  });
});

describe('estimatedDelivery', () => {
  it('counts from the day in Mexico City, not in UTC', () => {
    // 02:00 UTC on Friday is still Thursday evening in Mexico City.
    const thursdayNight = new Date('2026-11-27T02:00:00Z');
    expect(calendarDate(thursdayNight, DELIVERY_TIME_ZONE)).toEqual({ year: 2026, month: 11, day: 26 });
    expect(estimatedDelivery(thursdayNight, 1)).toBe('2026-11-27');
    expect(estimatedDelivery(thursdayNight, 1, 'UTC')).toBe('2026-11-30');
  });

  it('is five business days by default in the service, a week for an order on a working day', () => {
    expect(estimatedDelivery(new Date('2026-11-26T16:00:00Z'), 5)).toBe('2026-12-03');
  });
});
