/** The seeded customers as callers: every one has a phone the caller check can key by, no two alike. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toE164 } from '../../../../services/voice/src/domain/phone';

const customers = JSON.parse(readFileSync(join(__dirname, '../../../../seed/data/customers.json'), 'utf8')) as { user_id: string; phone: string }[];

describe('seed/data/customers.json, as callers', () => {
  it('gives every seeded customer a phone that reads as E.164, no two alike', () => {
    // Act
    const phones = customers.map((customer) => toE164(customer.phone));

    // Assess
    expect(phones.every((phone) => phone !== undefined)).toBe(true);
    expect(new Set(phones).size).toBe(customers.length);
    expect(phones).toContain('+525512345678');
  });
});
