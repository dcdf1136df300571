import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CallerItem, CallerStore, AttemptRecord } from '../../../../services/voice/src/adapters/caller-store';
import type { LockState } from '../../../../services/voice/src/domain/lockout';
import { hashPin, type PinHashParameters } from '../../../../services/voice/src/domain/pin';

/** Cheap scrypt parameters, so the tests hash in a millisecond; the code reads them from the hash. */
export const FAST: PinHashParameters = { N: 1024, r: 8, p: 1 };
export const fastHash = (pin: string) => hashPin(pin, FAST);

export const NOW = new Date('2026-12-06T12:00:00.000Z');

/** An HMAC under a secret of the test's, as KMS's GenerateMac and VerifyMac behave. */
export function fakeMac(secret = 'test-secret') {
  const mac = (message: Buffer) => createHmac('sha256', secret).update(message).digest();
  return {
    sign: async (message: Buffer) => mac(message).toString('base64'),
    verify: async (message: Buffer, given: string) => {
      const expected = mac(message);
      const actual = Buffer.from(given, 'base64');
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** The voice tables in memory, with the conditional swap DynamoDB makes. */
export class MemoryCallerStore implements Pick<CallerStore, 'getCaller' | 'swapLockState' | 'recordAttempt'> {
  readonly callers = new Map<string, CallerItem>();
  readonly attempts: AttemptRecord[] = [];

  async getCaller(phone: string): Promise<CallerItem | undefined> {
    const item = this.callers.get(phone);
    return item ? { ...item } : undefined;
  }

  async swapLockState(phone: string, seen: Partial<LockState>, next: LockState): Promise<boolean> {
    const item = this.callers.get(phone);
    if (!item || item.failures !== seen.failures || item.locked_until !== seen.locked_until) return false;
    const updated: CallerItem = { ...item, failures: next.failures };
    if (next.locked_until === undefined) delete updated.locked_until;
    else updated.locked_until = next.locked_until;
    this.callers.set(phone, updated);
    return true;
  }

  async recordAttempt(attempt: AttemptRecord): Promise<void> {
    this.attempts.push(attempt);
  }
}
