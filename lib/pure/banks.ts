/**
 * The SPEI participants a customer is likely to name, by the 3-digit bank code a CLABE starts
 * with (Banxico's catalogue of participants): how a bank is shown to people ("BBVA México"), in
 * a confirmation, an answer and a SPEI order's receiving bank alike. A code not listed is shown as
 * "Banco <code>", never guessed. Pure.
 */

const BANKS: Readonly<Record<string, string>> = {
  '002': 'Banamex',
  '006': 'Bancomext',
  '009': 'Banobras',
  '012': 'BBVA México',
  '014': 'Santander',
  '019': 'Banjército',
  '021': 'HSBC',
  '030': 'Bajío',
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
  '138': 'ABC Capital',
  '166': 'Banco del Bienestar',
  '638': 'Nu México',
  '646': 'STP',
  '722': 'Mercado Pago',
  '999': 'Centli',
};

/** The bank a CLABE (or a 3-digit bank code) belongs to, as people name it; "Banco <code>" when it is not listed. */
export function bankName(clabeOrCode: string): string {
  const code = clabeOrCode.slice(0, 3);
  return BANKS[code] ?? `Banco ${code}`;
}
