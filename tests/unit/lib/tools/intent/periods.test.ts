import { periodBounds, type PeriodName } from '@centli/tools/intent/periods';

describe('periodBounds', () => {
  // Thursday 26 November 2026, 12:00 in Mexico City (UTC-6 all year since 2022).
  const noonInMexicoCity = new Date('2026-11-26T18:00:00Z');

  it.each<[PeriodName, string, string]>([
    ['today', '2026-11-26T06:00:00.000Z', '2026-11-26T18:00:00.000Z'],
    ['yesterday', '2026-11-25T06:00:00.000Z', '2026-11-26T05:59:59.999Z'],
    ['day_before_yesterday', '2026-11-24T06:00:00.000Z', '2026-11-25T05:59:59.999Z'],
    ['this_week', '2026-11-23T06:00:00.000Z', '2026-11-26T18:00:00.000Z'],
    ['last_week', '2026-11-16T06:00:00.000Z', '2026-11-23T05:59:59.999Z'],
    ['this_month', '2026-11-01T06:00:00.000Z', '2026-11-26T18:00:00.000Z'],
    ['last_month', '2026-10-01T06:00:00.000Z', '2026-11-01T05:59:59.999Z'],
  ])('bounds %s in Mexico City by local midnights', (period, from, to) => {
    expect(periodBounds(period, noonInMexicoCity, 'America/Mexico_City')).toEqual({ from, to });
  });

  it('counts the local date, not the UTC one: at 23:00 on 28 February it is still February', () => {
    const lateInFebruary = new Date('2026-03-01T05:00:00Z');
    expect(periodBounds('this_month', lateInFebruary, 'America/Mexico_City')).toEqual({ from: '2026-02-01T06:00:00.000Z', to: '2026-03-01T05:00:00.000Z' });
    expect(periodBounds('today', lateInFebruary, 'America/Mexico_City').from).toBe('2026-02-28T06:00:00.000Z');
  });

  it('gives a day that changes to daylight saving time its 23 hours', () => {
    // Monday 9 March 2026, 11:00 in New York; clocks went forward at 02:00 on Sunday the 8th.
    const now = new Date('2026-03-09T15:00:00Z');
    expect(periodBounds('yesterday', now, 'America/New_York')).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T03:59:59.999Z' });
    expect(periodBounds('this_week', now, 'America/New_York')).toEqual({ from: '2026-03-09T04:00:00.000Z', to: '2026-03-09T15:00:00.000Z' });
    expect(periodBounds('last_week', now, 'America/New_York')).toEqual({ from: '2026-03-02T05:00:00.000Z', to: '2026-03-09T03:59:59.999Z' });
  });

  it('handles zones a half hour off UTC', () => {
    // 23:30 on 26 November in Kolkata (UTC+5:30).
    expect(periodBounds('yesterday', noonInMexicoCity, 'Asia/Kolkata')).toEqual({ from: '2026-11-24T18:30:00.000Z', to: '2026-11-25T18:29:59.999Z' });
  });
});
