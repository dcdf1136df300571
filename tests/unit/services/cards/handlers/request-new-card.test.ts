import { deliveryFromEnv } from '../../../../../services/cards/src/handlers/request-new-card';

describe('deliveryFromEnv', () => {
  afterEach(() => {
    delete process.env.CARD_DELIVERY_BUSINESS_DAYS;
    delete process.env.CARD_DELIVERY_TIMEZONE;
  });

  it('defaults to five business days in Mexico City', () => {
    expect(deliveryFromEnv()).toEqual({ businessDays: 5, timeZone: 'America/Mexico_City' });
  });

  it('reads the configured days and refuses fewer than one', () => {
    process.env.CARD_DELIVERY_BUSINESS_DAYS = '7';
    expect(deliveryFromEnv().businessDays).toBe(7);
    process.env.CARD_DELIVERY_BUSINESS_DAYS = '0';
    expect(() => deliveryFromEnv()).toThrow(/at least 1/);
  });
});
