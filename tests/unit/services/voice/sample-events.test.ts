/**
 * The sample events in services/voice/events are what `sls invoke local` sends: Amazon Connect's
 * ContactFlowEvent as its "Invoke AWS Lambda function" block sends it, one per answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toE164 } from '../../../../services/voice/src/domain/phone';

const dir = join(__dirname, '../../../../services/voice/events');
const samples = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>] as const);
const customers = JSON.parse(readFileSync(join(__dirname, '../../../../seed/data/customers.json'), 'utf8')) as { phone: string }[];
const seededPhones = new Set(customers.map((customer) => toE164(customer.phone)));

describe('services/voice/events', () => {
  it.each(samples)('%s is a ContactFlowEvent with a caller id in E.164, a contact id and the PIN as a flow parameter', (_file, event) => {
    // Assess
    expect(event).toMatchObject({
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: { ContactId: expect.stringMatching(/^[0-9a-f-]{36}$/), Channel: 'VOICE', CustomerEndpoint: { Address: expect.stringMatching(/^\+\d{8,15}$/), Type: 'TELEPHONE_NUMBER' } },
        Parameters: { pin: expect.stringMatching(/^\d{4,8}$/) },
      },
    });
  });

  it('has a seeded customer with the seeded PIN, a wrong PIN, an unknown number and an English caller', () => {
    // Prepare
    const byFile = new Map(samples);
    const address = (file: string) => ((byFile.get(file)?.Details as { ContactData: { CustomerEndpoint: { Address: string } } }).ContactData.CustomerEndpoint.Address);
    const pin = (file: string) => ((byFile.get(file)?.Details as { Parameters: { pin: string } }).Parameters.pin);

    // Assess
    expect([...byFile.keys()].sort()).toEqual(['authenticate-caller-english.json', 'authenticate-caller-unknown-number.json', 'authenticate-caller-verified.json', 'authenticate-caller-wrong-pin.json']);
    expect(seededPhones.has(address('authenticate-caller-verified.json'))).toBe(true);
    expect(pin('authenticate-caller-verified.json')).toBe('2468');
    expect(pin('authenticate-caller-wrong-pin.json')).not.toBe('2468');
    expect(seededPhones.has(address('authenticate-caller-unknown-number.json'))).toBe(false);
    expect(((byFile.get('authenticate-caller-english.json')?.Details as { ContactData: { LanguageCode: string } }).ContactData.LanguageCode)).toBe('en-US');
  });
});
