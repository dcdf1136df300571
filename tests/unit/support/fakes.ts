/**
 * Stand-ins the front doors' unit tests share (the MCP server's and the chat gateway's fakes
 * re-export them): the tests' fixed now, a clock that only moves when told to, a schema check for
 * any detail, and a confirmation store that keeps the rule of
 * lib/tools/adapters/confirmation-store.ts (consumed only as lib/tools/confirmation.ts allows,
 * the rest explained with `explainRejection`) and what DynamoDB would keep (undefined fields
 * dropped).
 */
import { DEFAULT_RATE_LIMITS, rateWindow, type RateKind, type RateLimits } from '@centli/pure/rate-limit';
import { detailValidator, isDetailType, type SchemaViolation } from '@centli/schemas';
import type { ApprovalStore, DecisionRefused } from '@centli/tools/adapters/approval-store';
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { approvalKey, approvalPointerKey, type Approval, type ApprovalPointer, type DecidedVia } from '@centli/tools/approval';
import { explainRejection, type ConfirmationBinding, type PendingConfirmation } from '@centli/tools/confirmation';

/** What DynamoDB gives back: a deep copy without undefined attributes. */
export const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Thursday 26 November 2026, 10:00 in Mexico City. */
export const NOW = new Date('2026-11-26T16:00:00.000Z');

/** What is wrong with a detail for its detail-type's schema, if anything (ajv keeps each compiled validator). */
export function violationOf(detailType: string, detail: unknown): SchemaViolation | undefined {
  if (!isDetailType(detailType)) return { field: 'detail-type', message: `${detailType} is not a detail-type` };
  return detailValidator(detailType)(detail);
}

export class FakeClock {
  private at: number;

  constructor(start: Date = NOW) {
    this.at = start.getTime();
  }

  now = (): Date => new Date(this.at);

  advance(ms: number): void {
    this.at += ms;
  }
}

export class FakeConfirmationStore implements Pick<ConfirmationStore, 'create' | 'consume' | 'cancel'> {
  readonly items = new Map<string, PendingConfirmation & { used_at?: string; cancelled_at?: string }>();

  async create(pending: PendingConfirmation): Promise<void> {
    if (this.items.has(pending.pk)) throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    this.items.set(pending.pk, stored(pending));
  }

  async consume(key: string, binding: ConfirmationBinding, now: Date): Promise<PendingConfirmation> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const item = this.items.get(key);
    const holds =
      item !== undefined &&
      item.status === 'pending' &&
      item.user_id === binding.userId &&
      item.tool === binding.tool &&
      item.args_hash === binding.argsHash &&
      item.expires_at > nowSeconds &&
      (binding.requestHash === undefined || item.request_hash === binding.requestHash);
    if (!holds) throw explainRejection(item ? stored(item) : undefined, binding, nowSeconds);
    item.status = 'used';
    item.used_at = now.toISOString();
    return stored(item);
  }

  async cancel(key: string, userId: string, now: Date): Promise<boolean> {
    const item = this.items.get(key);
    if (!item || item.status !== 'pending' || item.user_id !== userId) return false;
    item.status = 'cancelled';
    item.cancelled_at = now.toISOString();
    return true;
  }
}

/**
 * The approvals table in memory, with the store's rules (lib/tools/adapters/approval-store.ts):
 * `open` refuses an approval that exists and moves its arguments' pointer; `decide` moves only a
 * pending, unexpired approval of that customer; `use` moves only an approved one, once.
 */
export class FakeApprovalStore implements Pick<ApprovalStore, 'open' | 'get' | 'current' | 'decide' | 'use'> {
  readonly items = new Map<string, Approval>();
  readonly pointers = new Map<string, ApprovalPointer>();

  async open(approval: Approval, pointer: ApprovalPointer): Promise<void> {
    if (this.items.has(approval.pk)) throw Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException' });
    this.items.set(approval.pk, stored(approval));
    this.pointers.set(pointer.pk, stored(pointer));
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const item = this.items.get(approvalKey(approvalId));
    return item && stored(item);
  }

  async current(userId: string, tool: string, argsHash: string): Promise<Approval | undefined> {
    const pointer = this.pointers.get(approvalPointerKey(userId, tool, argsHash));
    return pointer ? this.get(pointer.approval_id) : undefined;
  }

  async decide(approvalId: string, userId: string, decision: 'approved' | 'declined', via: DecidedVia, now: Date, secondFactorAt?: string): Promise<Approval | DecisionRefused> {
    const item = this.items.get(approvalKey(approvalId));
    if (!item || item.user_id !== userId) return 'not_found';
    if (item.status !== 'pending') return 'decided';
    if (item.expires_at <= Math.floor(now.getTime() / 1000)) return 'expired';
    if (decision === 'approved' && item.step_up === true && !secondFactorAt) return 'second_factor_required';
    Object.assign(item, { status: decision, decided_at: now.toISOString(), decided_via: via, ...(secondFactorAt ? { second_factor_at: secondFactorAt } : {}) });
    return stored(item);
  }

  async use(approvalId: string, userId: string, now: Date): Promise<boolean> {
    const item = this.items.get(approvalKey(approvalId));
    if (!item || item.user_id !== userId || item.status !== 'approved') return false;
    Object.assign(item, { status: 'used', used_at: now.toISOString() });
    return true;
  }
}

/** The rate limiter's rule (lib/tools/adapters/rate-limiter.ts) in memory: a count per customer, kind and minute, up to the limits. */
export class FakeRateLimiter {
  readonly taken: Array<[string, RateKind]> = [];
  private readonly counts = new Map<string, number>();

  constructor(readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {}

  async take(userId: string, kind: RateKind, now: Date): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    this.taken.push([userId, kind]);
    const window = rateWindow(userId, kind, now);
    const count = this.counts.get(window.key) ?? 0;
    if (count >= this.limits[kind]) return { allowed: false, retryAfter: window.retryAfter };
    this.counts.set(window.key, count + 1);
    return { allowed: true };
  }
}
