import { addDays, addMonths, calendarDate, calendarDay, isoDate, startOfDay, weekday } from '../../../../lib/pure/calendar';

describe('calendarDay', () => {
  it.each([
    ['2026-11-22T05:59:59Z', '2026-11-21'],
    ['2026-11-22T06:00:00Z', '2026-11-22'],
    ['2026-12-31T23:30:00Z', '2026-12-31'],
  ])('counts %s as %s in Mexico City', (instant, day) => {
    expect(calendarDay(new Date(instant), 'America/Mexico_City')).toBe(day);
  });

  it('keeps each zone’s calendar apart, whichever zone was asked first', () => {
    // Prepare
    const instant = new Date('2026-11-22T03:00:00Z');

    // Act
    const days = [calendarDay(instant, 'America/Mexico_City'), calendarDay(instant, 'Asia/Tokyo'), calendarDay(instant, 'America/Mexico_City')];

    // Assess
    expect(days).toEqual(['2026-11-21', '2026-11-22', '2026-11-21']);
  });
});

describe('calendarDate', () => {
  it('reads Thursday night in Mexico City as Thursday, though UTC is on Friday', () => {
    expect(calendarDate(new Date('2026-11-27T02:00:00Z'), 'America/Mexico_City')).toEqual({ year: 2026, month: 11, day: 26 });
  });
});

describe('day arithmetic', () => {
  it.each([
    [{ year: 2026, month: 12, day: 31 }, 1, '2027-01-01'],
    [{ year: 2024, month: 2, day: 28 }, 1, '2024-02-29'],
    [{ year: 2026, month: 3, day: 1 }, -1, '2026-02-28'],
  ])('moves %p by %i days to %s', (date, days, expected) => {
    expect(isoDate(addDays(date, days))).toBe(expected);
  });

  it('moves months across a year', () => {
    expect(isoDate(addMonths({ year: 2026, month: 12, day: 1 }, -13))).toBe('2025-11-01');
  });

  it('names weekdays from Sunday', () => {
    expect(weekday({ year: 2026, month: 12, day: 6 })).toBe(0);
    expect(weekday({ year: 2026, month: 12, day: 7 })).toBe(1);
  });
});

describe('startOfDay', () => {
  it('starts a day in Mexico City at 06:00 UTC', () => {
    expect(new Date(startOfDay({ year: 2026, month: 11, day: 22 }, 'America/Mexico_City')).toISOString()).toBe('2026-11-22T06:00:00.000Z');
  });

  it('starts a day in New York after its spring change at the offset in force that day', () => {
    expect(new Date(startOfDay({ year: 2026, month: 3, day: 9 }, 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(startOfDay({ year: 2026, month: 3, day: 8 }, 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });
});
