/**
 * CLABE (Clave Bancaria Estandarizada), the 18-digit address every Mexican bank account has for
 * SPEI: a 3-digit bank code (Banxico's participant catalogue), a 3-digit plaza, an 11-digit
 * account number and a check digit. The check digit is Banxico's: each of the first 17 digits
 * times its weight (3, 7, 1, repeated), each product taken mod 10, summed; the digit is
 * (10 - sum mod 10) mod 10. Pure.
 */

const WEIGHTS = [3, 7, 1] as const;

/** The parts of a CLABE. */
export interface ClabeParts {
  bank: string;
  plaza: string;
  account: string;
}

/** The check digit of a CLABE's first 17 digits. */
export function clabeCheckDigit(first17: string): number {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('a CLABE check digit is computed over exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * (WEIGHTS[i % 3] as number)) % 10;
  return (10 - (sum % 10)) % 10;
}

/** Whether the text is a CLABE: 18 digits whose last is the check digit of the others. */
export function isValidClabe(text: string): boolean {
  return /^[0-9]{18}$/.test(text) && clabeCheckDigit(text.slice(0, 17)) === Number(text[17]);
}

/** A CLABE from its parts (3, 3 and 11 digits), with its check digit. */
export function makeClabe(parts: ClabeParts): string {
  if (!/^[0-9]{3}$/.test(parts.bank) || !/^[0-9]{3}$/.test(parts.plaza) || !/^[0-9]{11}$/.test(parts.account)) {
    throw new RangeError('a CLABE is a 3-digit bank code, a 3-digit plaza and an 11-digit account number');
  }
  const first17 = `${parts.bank}${parts.plaza}${parts.account}`;
  return `${first17}${clabeCheckDigit(first17)}`;
}

/** A valid CLABE's parts; throws on anything else. */
export function clabeParts(clabe: string): ClabeParts {
  if (!isValidClabe(clabe)) throw new RangeError('not a valid CLABE');
  return { bank: clabe.slice(0, 3), plaza: clabe.slice(3, 6), account: clabe.slice(6, 17) };
}

/** The same account under another bank code (a stage's own), with the check digit recomputed. */
export function withBankCode(clabe: string, bank: string): string {
  return makeClabe({ ...clabeParts(clabe), bank });
}

/** How a CLABE is shown to people: its last four digits, as account numbers are (`****0004`). */
export function maskedClabe(clabe: string): string {
  return `****${clabe.slice(-4)}`;
}
