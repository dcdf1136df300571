/**
 * The error catalogue: every code once, told in both languages from its parameters, and every
 * code the code base raises or answers with is one of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { isRefusalCode, refusals, refusalText, type RefusalCode } from '../../../../lib/pure/refusals';

const root = join(__dirname, '..', '..', '..', '..');
const MXN = (amount: number) => ({ amount, currency: 'MXN' });

/** Parameters for every code whose texts name some, as a service or a door would pass them. */
const SAMPLES: Partial<Record<RefusalCode, Record<string, unknown>>> = {
  'REQUEST.INVALID': { field: 'amount', problem: 'amount must be >= 1' },
  'AUTH.UNAUTHENTICATED': { expired: true },
  'AUTH.INSUFFICIENT_SCOPE': { scope: 'centli/read centli/operate' },
  'TOOL.UNKNOWN': { tool: 'wire_money' },
  'TOOL.AMOUNT_UNCLEAR': { said: 'un chorro' },
  'TOOL.BENEFICIARY_AMBIGUOUS': { said: 'Juan', candidates: ['Juan Pérez (el plomero)', 'Juana Pérez (Juanita)'] },
  'TOOL.BENEFICIARY_NOT_FOUND': { said: 'mi primo', suggestions: ['Mateo López (Mateo)'] },
  'TOOL.SPEI_PESOS_ONLY': { beneficiary: 'Juan Pérez (el plomero)', bank: 'Banorte', currency: 'USD' },
  'TOOL.NOT_A_SPEI_PAYEE': { beneficiary: 'Carlos García (hermano)' },
  'SPEI.RETURNED': { beneficiary: 'Diego Martínez', bank: 'BBVA', amount: MXN(25_000), clave_rastreo: 'CNT20261206000000001', return_reason: 'cuenta_inexistente' },
  'SPEI.TIMED_OUT': { beneficiary: 'Diego Martínez', bank: 'BBVA', amount: MXN(25_000), clave_rastreo: 'CNT20261206000000001' },
  'TOOL.NO_SOURCE_ACCOUNT': { currency: 'USD' },
  'TOOL.PRODUCT_NOT_FOUND': { words: 'dron', partly: true },
  'TOOL.PRODUCT_AMBIGUOUS': { words: 'laptop' },
  'TOOL.NO_CARD': { operation: 'unlock' },
  'TRANSFER.AMOUNT_OVER_LIMIT': { limit: MXN(5_000_000) },
  'TRANSFER.DAILY_LIMIT_EXCEEDED': { limit: MXN(10_000_000) },
  'TRANSFER.INSUFFICIENT_FUNDS': { account: 'Cuenta Nómina ****4821', available: MXN(1250) },
  'TRANSFER.SECOND_FACTOR_REQUIRED': { mtu: MXN(1_275_000) },
  'PURCHASE.SECOND_FACTOR_REQUIRED': { mtu: MXN(1_275_000) },
  'MTU.SECOND_FACTOR_REQUIRED': { mtu: MXN(1_275_000) },
  'PAYMENT.INSUFFICIENT_FUNDS': { account: 'Cuenta Nómina ****4821', available: MXN(1250) },
  'BENEFICIARY.INVALID_NAME': { rule: 'length', min: 2, max: 100 },
  'BENEFICIARY.INVALID_ALIAS': { rule: 'characters' },
  'BENEFICIARY.DUPLICATE_ALIAS': { alias: 'hermano' },
  'BENEFICIARY.INVALID_DESTINATION': { given: 'both' },
  'BENEFICIARY.INVALID_CLABE': { problem: 'check_digit' },
  'PURCHASE.OUT_OF_STOCK': { product: 'Laptop HP' },
  'PURCHASE.INSTALLMENTS_NOT_AVAILABLE': { retailer: 'CasaTech', product: 'Laptop HP', total: MXN(1_499_900), months: 12, offered: ['3', '6'] },
  'PURCHASE.PRICE_CHANGED': { total: MXN(1_549_900) },
  'CARD.NOT_FOUND': { last_four: '1234' },
  'CARD.AMBIGUOUS': { last_four: '1234' },
  'CARD.CLOSED': { last_four: '1234' },
};

const codes = Object.keys(refusals) as RefusalCode[];
const BROKEN = /undefined|\[object|NaN|\$\{/;

describe('the error catalogue', () => {
  it.each(codes)('tells %s in Spanish and in English, with and without its parameters', (code) => {
    for (const params of [SAMPLES[code] ?? {}, {}]) {
      // Act
      const es = refusalText(code, params as never, 'es');
      const en = refusalText(code, params as never, 'en');

      // Assess
      expect(es).toMatch(/\S/);
      expect(en).toMatch(/\S/);
      expect(es).not.toMatch(BROKEN);
      expect(en).not.toMatch(BROKEN);
    }
  });

  it('says the money a text names in each language’s format', () => {
    expect(refusalText('TRANSFER.DAILY_LIMIT_EXCEEDED', { limit: MXN(10_000_000) }, 'es')).toContain('$100,000.00 MXN');
    expect(refusalText('TRANSFER.DAILY_LIMIT_EXCEEDED', { limit: MXN(10_000_000) }, 'en')).toContain('$100,000.00 MXN');
  });

  it('tells a changed price with what it costs now when known, that nothing was charged, and to ask again', () => {
    // Act
    const told = (['es', 'en'] as const).flatMap((locale) => [refusalText('PURCHASE.PRICE_CHANGED', { total: MXN(1_549_900) }, locale), refusalText('PURCHASE.PRICE_CHANGED', {}, locale)]);

    // Assess
    expect(told).toEqual([
      'El precio cambió desde que lo aprobaste: ahora es $15,499.00 MXN. No se te cobró nada; pídemelo de nuevo para ver el precio actual.',
      'El precio cambió desde que lo aprobaste. No se te cobró nada; pídemelo de nuevo para ver el precio actual.',
      'The price changed since you approved it: it is now $15,499.00 MXN. You were not charged; ask again to see the current price.',
      'The price changed since you approved it. You were not charged; ask again to see the current price.',
    ]);
  });

  it('knows nothing of a code it does not declare', () => {
    expect(isRefusalCode('TRANSFER.SOMETHING')).toBe(false);
    expect(refusalText('TRANSFER.SOMETHING', {}, 'es')).toBeUndefined();
  });

  it('declares every refusal code the code base names, and nothing it does not', () => {
    // Prepare: every 'AREA.CODE' literal in the services, the shared code and the saga's definition.
    const files = execSync('git ls-files services lib sagas', { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => /\.(ts|yml)$/.test(file) && !file.endsWith('lib/pure/refusals.ts') && !file.includes('/events/'));
    const named = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const match of text.matchAll(/(?:'|reason: )([A-Z]{2,}(?:_[A-Z]+)*\.[A-Z]+(?:_[A-Z]+)*)'?/g)) named.add(match[1] as string);
    }

    // Assess
    expect([...named].filter((code) => !isRefusalCode(code)).sort()).toEqual([]);
    expect(named.size).toBeGreaterThan(50);
  });

  it('is what the purchase saga answers with, code by code, in English', () => {
    // Prepare: the saga's definition is deployed as it is, so it repeats the English texts; they must be the catalogue's.
    const asl = readFileSync(join(root, 'sagas', 'purchase.asl.yml'), 'utf8');
    const answered = [...asl.matchAll(/reason: ([A-Z_]+\.[A-Z_]+)\n\s*message: (.*)\n/g)].map(([, code, message]) => [code, message]);

    // Assess
    expect(answered.length).toBeGreaterThanOrEqual(10);
    for (const [code, message] of answered) expect([code, message]).toEqual([code, refusalText(code as string, {}, 'en')]);
  });
});
