/**
 * A CLABE as a customer types it for a payee (spaces and hyphens between groups ignored), read
 * with the check digit of lib/pure/clabe.ts.
 */

import { clabeCheckDigit } from '@centli/pure/clabe';

// The check digit is written once, in lib/pure/clabe.ts (Core Banking's own accounts' CLABEs use it too).
export { clabeCheckDigit };

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
