import { createHmac, timingSafeEqual } from 'node:crypto';
import { ContentionError } from '@centli/pure/errors';
import { CALL_TTL_SECONDS, callKey, type CallState, type CallStore, type StoredCall } from '../../../../services/voice/src/adapters/call-store';
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

/** The voice calls table in memory, with the conditional write on the call's version that DynamoDB makes. */
export class MemoryCallStore implements Pick<CallStore, 'get' | 'save'> {
  readonly items = new Map<string, StoredCall>();

  async get(contactId: string): Promise<StoredCall | undefined> {
    const item = this.items.get(callKey(contactId));
    return item && (JSON.parse(JSON.stringify(item)) as StoredCall);
  }

  async save(call: CallState, previous: StoredCall | undefined, now: Date): Promise<StoredCall> {
    const current = this.items.get(callKey(call.contact_id));
    if ((previous === undefined && current !== undefined) || (previous !== undefined && current?.version !== previous.version)) throw new ContentionError(`call ${call.contact_id} moved`);
    const stored: StoredCall = JSON.parse(JSON.stringify({ ...call, pk: callKey(call.contact_id), version: (previous?.version ?? 0) + 1, updated_at: now.toISOString(), expires_at: Math.floor(now.getTime() / 1000) + CALL_TTL_SECONDS })) as StoredCall;
    this.items.set(stored.pk, stored);
    return stored;
  }
}
