/**
 * The SPEI participants a customer is likely to name, by the 3-digit bank code a CLABE starts
 * with (Banxico's catalogue of participants): how a bank is shown to people ("BBVA"). A code not
 * listed is shown as "banco <code>", never guessed. Pure.
 */

const BANKS: Readonly<Record<string, string>> = {
  '002': 'Banamex',
  '006': 'Bancomext',
  '012': 'BBVA',
  '014': 'Santander',
  '021': 'HSBC',
  '030': 'BanBajío',
  '032': 'IXE',
  '036': 'Inbursa',
  '042': 'Mifel',
  '044': 'Scotiabank',
  '058': 'Banregio',
  '059': 'Invex',
  '060': 'Bansi',
  '062': 'Afirme',
  '072': 'Banorte',
  '106': 'Bank of America',
  '127': 'Banco Azteca',
  '130': 'Compartamos',
  '137': 'BanCoppel',
  '138': 'Ualá',
  '646': 'STP',
  '638': 'Nu México',
  '653': 'Kuspit',
  '684': 'Transfer',
  '722': 'Mercado Pago',
};

/** The bank a CLABE (or a 3-digit bank code) belongs to, as people name it; "banco <code>" when it is not listed. */
export function bankName(clabeOrCode: string): string {
  const code = clabeOrCode.slice(0, 3);
  return BANKS[code] ?? `banco ${code}`;
}
