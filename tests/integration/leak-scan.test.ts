/**
 * Runs last (tests/integration/sequencer.js): everything the suite made the stack log and
 * publish holds no card number, no bearer token and no confirmation token.
 * - A card number here is a Luhn-valid run of 13 to 19 digits (spaces or dashes between groups
 *   allowed) starting with 2 to 6, the major industry identifiers of payment cards; masked numbers
 *   (first six, last four) cannot pass.
 * - A token is a JWT (`eyJ….eyJ….…`); a confirmation token is what follows `confirmation_token`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeClients, getJson } from './support';

const root = join(__dirname, '..', '..');

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Every candidate card number in a text: Luhn-valid 13-19 digit runs starting with 2-6. */
export function cardNumbersIn(text: string): string[] {
  const found: string[] = [];
  // Delimited by something that is not a letter, digit or dash-joined id part: a run of digits
  // inside an id (a UUID's "…c504-4299-9297-9122…", or its first groups when they happen to be
  // all digits, "33255637-3470-4496-a…") is not a card number.
  for (const match of text.matchAll(/(?<![0-9A-Za-z-])[2-6](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z]|-[0-9A-Za-z])/g)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) found.push(match[0]);
  }
  return found;
}

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g;
const CONFIRMATION_TOKEN = /"?confirmation_token"?\s*[:=]\s*"?[A-Za-z0-9_-]{16,}/g;

describe('what the suite logged and published', () => {
  const logs = ['test-stack.log', 'test-stack.out.log'].map((file) => join(root, '.centli', file)).filter(existsSync).map((file) => readFileSync(file, 'utf8')).join('\n');
  let events = '';

  beforeAll(async () => {
    events = JSON.stringify(await getJson<unknown[]>('/events'));
  });

  afterAll(() => closeClients());

  it('is a real record: the logs and events are there to scan', () => {
    expect(logs.length).toBeGreaterThan(10_000);
    expect(events).toContain('TRANSFER_COMPLETED');
    expect(events).toContain('CARD_LOCKED');
  });

  it('holds no card number', () => {
    expect(cardNumbersIn(logs)).toEqual([]);
    expect(cardNumbersIn(events)).toEqual([]);
  });

  it('holds no bearer token and no confirmation token', () => {
    expect(logs.match(JWT) ?? []).toEqual([]);
    expect(events.match(JWT) ?? []).toEqual([]);
    expect(logs.match(CONFIRMATION_TOKEN) ?? []).toEqual([]);
    expect(events.match(CONFIRMATION_TOKEN) ?? []).toEqual([]);
  });
});

describe('the scan itself', () => {
  it.each([
    ['a Visa test number', 'pan 4111111111111111 here', ['4111111111111111']],
    ['a spaced Mastercard number', 'pan 5555 5555 5555 4444', ['5555 5555 5555 4444']],
    ['a masked number', 'card 453212******1234', []],
    ['a Luhn-invalid run', '4111111111111112', []],
    ['an epoch-millisecond timestamp', '"timeEpoch":1764172059123', []],
    ['digits inside a UUID', '"id":"8d2fc504-4299-9297-9122-1c0b5e7a0004"', []],
    ['a UUID whose first groups are all digits (and Luhn-valid together)', '"id":"33255637-3470-4496-b1c2-1c0b5e7a0004"', []],
    ['a dashed card number in a sentence', 'card 4111-1111-1111-1111.', ['4111-1111-1111-1111']],
  ])('finds %s correctly', (_name, text, expected) => {
    expect(cardNumbersIn(text)).toEqual(expected);
  });
});
