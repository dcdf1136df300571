/**
 * The lockout arithmetic: three consecutive wrong PINs lock the phone for fifteen minutes; while
 * locked every PIN, right or wrong, is refused; a right PIN outside a lock starts the count again.
 * The store applies each change only if the count it read is still the count stored, so two
 * wrong PINs at once can never both be the third (adapters/caller-store.ts).
 */

export const MAX_FAILURES = 3;
export const LOCK_MINUTES = 15;

export interface LockState {
  /** Consecutive wrong PINs as stored (3 while a lock lasts). */
  failures: number;
  /** ISO time the lock ends, if one was ever set. */
  locked_until?: string;
}

/** Whether the phone is locked at this moment. */
export function isLocked(state: LockState, now: Date): boolean {
  return state.locked_until !== undefined && Date.parse(state.locked_until) > now.getTime();
}

/** The consecutive failures that count now: a lock that has ended leaves none. */
export function currentFailures(state: LockState, now: Date): number {
  if (isLocked(state, now)) return MAX_FAILURES;
  return state.locked_until !== undefined || state.failures >= MAX_FAILURES ? 0 : Math.max(0, state.failures);
}

/** The state after one more wrong PIN (outside a lock): the third locks the phone. */
export function afterWrongPin(state: LockState, now: Date): Required<Pick<LockState, 'failures'>> & Pick<LockState, 'locked_until'> {
  const failures = currentFailures(state, now) + 1;
  if (failures >= MAX_FAILURES) return { failures: MAX_FAILURES, locked_until: new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() };
  return { failures };
}

/** Wrong PINs the caller may still enter before the lock. */
export function attemptsLeft(state: LockState, now: Date): number {
  return MAX_FAILURES - currentFailures(state, now);
}
