import { refusals, refusalText, type Params } from '@centli/pure/refusals';
import { LEX_MESSAGE_MAX, LIST_AT_ONCE, speechMessages, spoken, ssml } from '@centli/tools/speech';
import { tell, texts, type Locale } from '@centli/tools/text';

/**
 * The whole catalogue, spoken: every refusal with representative parameters, and the answers a
 * caller hears most, in both languages, must come out with no figure, symbol, mask, markup or
 * link, and no more than three items of a list at once.
 */
type Detail = Record<string, unknown>;
const LOCALES: readonly Locale[] = ['es', 'en'];
const MXN = (amount: number) => ({ amount, currency: 'MXN' });

// Parameters every refusal may name; the two variants take each branch a text chooses by a parameter.
const COMMON: Params = {
  field: 'amount',
  max: 40,
  min: 1,
  scope: 'centli:transfers',
  retry_after: 30,
  tool: 'transfer_funds',
  said: 'a mi hermano',
  candidates: ['Carlos García (hermano)', 'Carlos Ruiz (primo)', 'Carla Díaz (amiga)', 'Carmen Soto (tía)'],
  suggestions: ['Carlos García (hermano)', 'Juan Pérez (el plomero)'],
  beneficiary: 'Juan Pérez',
  clabe: '072180009876543213',
  currency: 'MXN',
  words: 'laptop lenovo 14"',
  account: 'Cuenta Nómina ****4821',
  available: MXN(1250),
  limit: MXN(5000000),
  until: '2026-12-07T16:15:00.000Z',
  mtu: MXN(1275000),
  alias: 'hermano',
  last_four: '1234',
  product: 'Laptop Lenovo IdeaPad 5 14"',
  retailer: 'CasaTech & Co.',
  total: MXN(1394910),
  months: 18,
  offered: ['3', '6', '12'],
};
const VARIANTS: readonly Params[] = [
  {},
  { ...COMMON, rule: 'concepto', problem: 'length', given: 'both', operation: 'lock', kind: 'write', expired: true, partly: true },
  { ...COMMON, rule: 'length', problem: 'check_digit', given: 'none', operation: 'replace', kind: 'read', gateway: true },
  { ...COMMON, rule: 'characters', problem: 'characters', given: 'none', operation: 'unlock', expired: false, retry_after: 1 },
];

const account = (account_id: string, name: string, balance: number) => ({ account_id, name, type: 'checking', status: 'active', balance, currency: 'MXN' });
const NOMINA = account('acc-ana-nomina-4821', 'Cuenta Nómina', 18550075);
const AHORRO = account('acc-ana-ahorro-7305', 'Ahorro', 125000000);
const DOLARES = { ...account('acc-ana-dolares-1188', 'Dólares', 50025), currency: 'USD' };
const VIEJA = { ...account('acc-ana-vieja-0042', 'Vieja', 0), status: 'frozen' };
const HERMANO = { name: 'Carlos García', alias: 'hermano', account_id: 'acc-carlos-nomina-3954' };
const PLOMERO = { name: 'Juan Pérez', alias: 'el plomero', clabe: '072180009876543213' };
const card = (last_four: string, fields: Detail = {}) => ({ card_id: `card-${last_four}`, last_four, brand: 'visa', type: 'debit', status: 'active', expiry: '08/2029', ...fields });
const entry = (i: number) => ({
  direction: i % 2 ? 'debit' : 'credit',
  amount: 12345 * i,
  currency: 'MXN',
  timestamp: `2026-12-0${i}T1${i}:0${i}:00.000Z`,
  counterparty_account_id: 'acc-carlos-nomina-3954',
  description: i === 2 ? 'Pago #2 <b>100%</b> {x} [y] | z_w http://evil.example' : `Renta «marzo» ${i}`,
});

/** Answers as the services send them, told as the chat would show them. */
function answers(locale: Locale): Array<[string, string]> {
  const told = (detailType: string, detail: Detail): [string, string] => [detailType, tell({ detailType, detail }, { locale }).text];
  return [
    told('BALANCE_RESPONSE', { accounts: [NOMINA, AHORRO, DOLARES, VIEJA], totals: [{ balance: 143550075, currency: 'MXN' }, { balance: 50025, currency: 'USD' }] }),
    told('BALANCE_RESPONSE', { accounts: [NOMINA], totals: [{ balance: 18550075, currency: 'MXN' }] }),
    told('LIMITS_RESPONSE', {
      accounts: [
        { account_id: NOMINA.account_id, name: NOMINA.name, currency: 'MXN', per_transfer_limit: 5000000, daily_limit: 10000000, used_today: 10000, remaining_today: 9990000 },
        { account_id: AHORRO.account_id, name: AHORRO.name, currency: 'MXN', per_transfer_limit: 2500000, daily_limit: 5000000, used_today: 0, remaining_today: 5000000 },
      ],
      new_payee: { limit: 200000, currency: 'MXN', hours: 24 },
      mtu: { amount: 1275000, currency: 'MXN', udis: 1500 },
    }),
    told('TRANSACTIONS_RESPONSE', { transactions: [1, 2, 3, 4, 5, 6, 7].map(entry), next_cursor: 'abc' }),
    told('BENEFICIARIES_RESPONSE', { beneficiaries: [HERMANO, PLOMERO, { ...HERMANO, alias: 'carlitos' }, { ...PLOMERO, alias: 'juan' }] }),
    told('ALIAS_RESOLUTION_RESPONSE', { status: 'resolved', alias: 'hermano', beneficiary: HERMANO, candidates: [] }),
    told('ALIAS_RESOLUTION_RESPONSE', { status: 'ambiguous', alias: 'Carlos', candidates: [HERMANO, { ...HERMANO, alias: 'primo' }] }),
    told('ACCOUNT_HOLDER_RESPONSE', { account_id: 'acc-carlos-nomina-3954', holder_name: 'Carlos García' }),
    told('BENEFICIARY_ADDED', { beneficiary: PLOMERO }),
    told('CATALOG_RESPONSE', {
      products: [1, 2, 3, 4].map((i) => ({ product_id: `prod-${i}`, name: `Laptop ${i} 14"`, retailer_name: 'CasaTech', price: 1549900 * i, currency: 'MXN', in_stock: i !== 3, msi_months: [3, 6, 12] })),
      next_cursor: 'x',
    }),
    told('BENEFITS_RESPONSE', {
      offers: [1, 2, 3, 4].map((i) => ({
        retailer_name: `Tienda ${i}`,
        product_name: 'Laptop Lenovo IdeaPad 5 14"',
        total: 1394910,
        currency: 'MXN',
        cashback: 13949,
        in_stock: true,
        promotions: [],
        installments: [{ months: 6, formatted_monthly_amount: '$2,324.85 MXN' }],
      })),
    }),
    told('CARDS_RESPONSE', { cards: [card('1234'), card('5678', { brand: 'mastercard', type: 'credit', expiry: '11/2028' }), card('9012', { status: 'locked' }), card('3456', { status: 'cancelled' })] }),
    told('CARD_LOCKED', { card: card('1234'), changed: true }),
    told('CARD_LOCKED', { card: card('1234'), changed: false }),
    told('CARD_UNLOCKED', { card: card('1234'), changed: true }),
    told('CARD_REPLACEMENT_REQUESTED', {
      card: card('1234', { status: 'cancelled' }),
      replacement: { estimated_delivery: '2026-12-11', delivery_address: 'Av. Insurgentes Sur 1602, Int. 801, 03940 Ciudad de México, CDMX', reason: 'lost' },
    }),
    told('MTU_SET', { mtu: { amount: 500000, currency: 'MXN' } }),
    told('TRANSFER_COMPLETED', { amount: 125050, currency: 'MXN', to_account_id: 'acc-carlos-nomina-3954', transaction_id: 'tx-9f8e7d6c' }),
    told('PURCHASE_STARTED', { purchase_id: 'pur-abc123' }),
    told('PURCHASE_CONFIRMED', { purchase_id: 'pur-abc123', product_name: 'Laptop Lenovo IdeaPad 5 14"', total: 1394910, currency: 'MXN', installments: { months: 6, formatted_monthly_amount: '$2,324.85 MXN' } }),
    told('TRANSFER_FAILED', { reason: 'TRANSFER.INSUFFICIENT_FUNDS', params: { available: MXN(1250) } }),
  ];
}

/** The catalogue's own sentences, with representative arguments. */
function sentences(locale: Locale): Array<[string, string]> {
  const t = texts(locale);
  const url = 'https://centli.example/approvals/apr-0001?step=passkey';
  const locked = card('1234', { status: 'locked' });
  return [
    ['confirmTransfer', t.confirmTransfer(125050, 'MXN', 'Carlos García (hermano), cuenta ****3954', NOMINA, 'Renta de marzo')],
    ['ownAccountLabel', t.ownAccountLabel('acc-ana-ahorro-7305')],
    ['holderLabel', t.holderLabel(undefined, 'acc-x-9999')],
    ['confirmPayee', t.confirmPayee('Carlos García', 'Carlos', 'hermano', 'acc-carlos-nomina-3954', true)],
    ['confirmPayee unregistered', t.confirmPayee(undefined, 'Carlos', 'hermano', 'acc-carlos-nomina-3954', false)],
    ['confirmClabePayee', t.confirmClabePayee('Juan Pérez', 'el plomero', '072180009876543213')],
    ['confirmRaiseMtu', t.confirmRaiseMtu(2000000, 1275000)],
    ['confirmUnlock', t.confirmUnlock(locked)],
    ['monthsLabel', t.monthsLabel(6, '$2,324.85 MXN')],
    ['confirmPurchase', t.confirmPurchase({ retailer_name: 'CasaTech', product_name: 'Laptop 14"', total: 1394910, currency: 'MXN', installments: [] }, 2, { months: 6, formatted_monthly_amount: '$2,324.85 MXN' }, NOMINA)],
    ['confirmReplacement', t.confirmReplacement(card('1234'), 'stolen', undefined)],
    ['confirmReplacement locked now', t.confirmReplacement(card('1234'), 'lost', undefined, 'now')],
    ['confirmReplacement locked already', t.confirmReplacement(card('1234', { status: 'locked' }), 'stolen', 'Calle 5 #12, 03940 CDMX', 'already')],
    ['declinedLocked', t.declinedLocked('1234')],
    ['confirmReplacement damaged', t.confirmReplacement(card('1234'), 'damaged', 'Calle 5 #12, 03940 CDMX')],
    ['greeting', t.greeting],
    ['help', t.help],
    ['notUnderstood', t.notUnderstood],
    ['confirmationNotShown', t.confirmationNotShown],
    ['sendFormat', t.sendFormat],
    ['tooLong', t.tooLong(2000)],
    ['approvalHint', t.approvalHint('transfer_funds', url, 'apr-0001', '2026-12-06T19:20:00.000Z')],
    ['stepUpInChat', t.stepUpInChat(url)],
    ['stepUpPending', t.stepUpPending(url)],
    ['stepUpUnavailable', t.stepUpUnavailable],
    ['approvalPending', t.approvalPending(url)],
  ];
}

const FORBIDDEN = /[\d$*•«»#<>[\]{}|_%@/\\~^=+−€·×…"“”]|http|www\./i;
const bullets = (text: string) => text.split('\n').filter((line) => /^\s*•/.test(line)).length;

function expectSpeakable(text: string, locale: Locale): void {
  const said = spoken(text, locale);
  for (const part of [said.text, ...(said.more ?? [])]) {
    expect(part).not.toMatch(FORBIDDEN);
    expect(part).not.toBe('');
  }
  // At most three items now; the rest, spoken, for when the caller asks.
  expect(said.more?.length ?? 0).toBe(Math.max(0, bullets(text) - LIST_AT_ONCE));
  for (const item of said.more ?? []) expect(said.text).not.toContain(item);
  // Its SSML is well formed: one speak element, nothing unescaped inside.
  expect(ssml(said.text)).toMatch(/^<speak>(?:[^<>&]|&(?:amp|lt|gt|quot|apos);|<break time="300ms"\/>)*<\/speak>$/);
  for (const message of speechMessages(said.text)) expect(message.content.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX);
}

describe('spoken, across the catalogue', () => {
  const codes = Object.keys(refusals);

  it.each(LOCALES.flatMap((locale) => codes.map((code) => [code, locale] as const)))('speaks the refusal %s (%s) with no figure, symbol, mask or link', (code, locale) => {
    for (const params of VARIANTS) {
      const text = refusalText(code, params, locale);
      expect(text).toBeDefined();
      expectSpeakable(text as string, locale);
    }
  });

  it.each(LOCALES.flatMap((locale) => answers(locale).map(([name, text]) => [name, locale, text] as const)))('speaks the answer %s (%s) with no figure, symbol, mask or link', (_name, locale, text) => {
    expectSpeakable(text, locale);
  });

  it.each(LOCALES.flatMap((locale) => sentences(locale).map(([name, text]) => [name, locale, text] as const)))('speaks the sentence %s (%s) with no figure, symbol, mask or link', (_name, locale, text) => {
    expectSpeakable(text, locale);
  });

  it('speaks a balance of several accounts three at a time, amounts in words and endings digit by digit', () => {
    // Prepare
    const text = answers('es')[0]?.[1] as string;

    // Act
    const said = spoken(text, 'es');

    // Assess
    expect(said.text).toBe(
      'Tus saldos: Cuenta Nómina con terminación cuatro ocho dos uno: ciento ochenta y cinco mil quinientos pesos con setenta y cinco centavos. ' +
        'Ahorro con terminación siete tres cero cinco: un millón doscientos cincuenta mil pesos. ' +
        'Dólares con terminación uno uno ocho ocho: quinientos dólares con veinticinco centavos. ' +
        'Total disponible: un millón cuatrocientos treinta y cinco mil quinientos pesos con setenta y cinco centavos y quinientos dólares con veinticinco centavos. ¿Quieres oír más?',
    );
    expect(said.more).toEqual(['Vieja con terminación cero cero cuatro dos: cero pesos, congelada.']);
  });

  it('speaks a transfer’s confirmation and completion in English', () => {
    const [confirm] = sentences('en');
    expect(spoken(confirm?.[1] as string, 'en').text).toBe(
      'Shall I transfer one thousand two hundred fifty pesos and fifty cents to Carlos García, hermano, cuenta ending in three nine five four, from your Cuenta Nómina ending in four eight two one, with the reference Renta de marzo?',
    );
    const completed = answers('en').find(([name]) => name === 'TRANSFER_COMPLETED')?.[1] as string;
    expect(spoken(completed, 'en').text).toBe('Done: I transferred one thousand two hundred fifty pesos and fifty cents to account ending in three nine five four. The reference is in your app.');
  });

  it('speaks the limits with the MTU line', () => {
    const limits = answers('es').find(([name]) => name === 'LIMITS_RESPONSE')?.[1] as string;
    expect(spoken(limits, 'es').text).toContain(
      'Tu monto transaccional es de doce mil setecientos cincuenta pesos, mil quinientos udis: arriba de él, una transferencia o una compra necesita tu segundo factor, tu llave de acceso.',
    );
  });

  it('speaks a card lock', () => {
    const locked = answers('es').find(([name]) => name === 'CARD_LOCKED')?.[1] as string;
    expect(spoken(locked, 'es').text).toBe('Listo, bloqueé tu tarjeta con terminación uno dos tres cuatro. Puedes desbloquearla cuando quieras.');
  });
});
