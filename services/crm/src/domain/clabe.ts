/**
 * CLABE (Clave Bancaria Estandarizada), the 18-digit account number of the Mexican interbank
 * system (SPEI): 3 digits of bank, 3 of plaza (city), 11 of account and 1 check digit.
 *
 * The check digit, as Banxico specifies it: multiply the first 17 digits by the weights
 * 3, 7, 1, 3, 7, 1, …; keep each product modulo 10; add them up; the check digit is
 * (10 − (sum mod 10)) mod 10.
 */

const WEIGHTS = [3, 7, 1] as const;

/** The check digit of the first 17 digits of a CLABE. */
export function clabeCheckDigit(first17: string): number {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('a CLABE check digit is computed over exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * (WEIGHTS[i % 3] as number)) % 10;
  return (10 - (sum % 10)) % 10;
}

export type ClabeProblem = 'length' | 'characters' | 'check_digit';

/**
 * Reads a CLABE as a person may type it: spaces and hyphens between groups are ignored.
 * Returns the 18 digits, or what is wrong with it.
 */
export function parseClabe(input: string): { clabe: string } | { problem: ClabeProblem } {
  const compact = input.replace(/[\s-]+/g, '');
  if (!/^[0-9]*$/.test(compact)) return { problem: 'characters' };
  if (compact.length !== 18) return { problem: 'length' };
  if (clabeCheckDigit(compact.slice(0, 17)) !== Number(compact[17])) return { problem: 'check_digit' };
  return { clabe: compact };
}
