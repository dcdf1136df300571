/**
 * Reading a cancelled DynamoDB transaction: which cancellations are passing contention (another
 * transaction held an item, or DynamoDB throttled one) and are worth the same attempt again, as
 * opposed to a condition that failed and says something about the data; and which of the
 * transaction's items failed, by what each was there for. Pure: the reasons come in as DynamoDB
 * gives them, their items already read (lib/kit/outcome-store.ts does that).
 */

/** The codes DynamoDB gives an item of a transaction cancelled by contention or throttling. */
const CONTENTION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Whether a cancelled transaction lost to contention or throttling (retry it), rather than to a condition. */
export function cancelledByContention(reasons: ReadonlyArray<{ Code?: string | undefined }>): boolean {
  return reasons.some((reason) => reason.Code !== undefined && CONTENTION_CODES.has(reason.Code));
}

/** One item's reason, as DynamoDB lists them in the order of the TransactItems. */
export interface CancellationReasonOf<I> {
  Code?: string | undefined;
  /** The item as it was when its condition failed, if it existed and ReturnValuesOnConditionCheckFailure asked for it. */
  Item?: I | undefined;
}

/**
 * What an item of a transaction means when its condition fails:
 * - `'outcome'`: the request was served already: its outcome, or an item only it writes (its
 *   replacement, its purchase's guard), exists;
 * - a name of the caller's (`'source'`, `'card'`): a condition the caller explains;
 * - `undefined`: nothing by itself (a ledger entry keyed by a transaction another item guards).
 */
export type ItemRole<N extends string> = 'outcome' | N | undefined;

/** The named conditions that failed, each with the item as it was when it refused (none if there was none, or none was asked for). */
export type FailedConditions<N extends string, I> = Partial<Record<N, { item?: I }>>;

/** What a cancelled transaction says. */
export type Cancellation<N extends string, I> =
  /** The request's outcome exists already: read it and answer it again. */
  | { status: 'served' }
  /** Another writer or DynamoDB's throttling got in the way: the same attempt again may pass. */
  | { status: 'contention' }
  /** The data refused: these conditions failed. */
  | { status: 'refused'; failed: FailedConditions<N, I> };

/**
 * Reads a cancelled transaction by the roles of its items (in the TransactItems' order). A
 * request served already explains everything else that failed with it (its change was made
 * then), so it is read first; then contention; then the named conditions. A cancellation that
 * none of these explains is an error, never a guess.
 */
export function readCancellation<N extends string, I>(
  reasons: ReadonlyArray<CancellationReasonOf<I>>,
  roles: ReadonlyArray<ItemRole<N>>,
  what = 'a transaction',
): Cancellation<N, I> {
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  if (roles.some((role, index) => role === 'outcome' && failed(index))) return { status: 'served' };
  if (cancelledByContention(reasons)) return { status: 'contention' };
  const conditions: FailedConditions<N, I> = {};
  let named = false;
  roles.forEach((role, index) => {
    if (role === undefined || role === 'outcome' || !failed(index)) return;
    const item = reasons[index]?.Item;
    conditions[role as N] = item === undefined ? {} : { item };
    named = true;
  });
  if (!named) throw new Error(`${what} was cancelled for an unexpected reason: ${reasons.map((reason) => reason.Code).join(', ')}`);
  return { status: 'refused', failed: conditions };
}
