/**
 * Reading a cancelled DynamoDB transaction: which cancellations are passing contention (another
 * transaction held an item, or DynamoDB throttled one) and are worth the same attempt again, as
 * opposed to a condition that failed and says something about the data.
 */

/** The codes DynamoDB gives an item of a transaction cancelled by contention or throttling. */
const CONTENTION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Whether a cancelled transaction lost to contention or throttling (retry it), rather than to a condition. */
export function cancelledByContention(reasons: ReadonlyArray<{ Code?: string | undefined }>): boolean {
  return reasons.some((reason) => reason.Code !== undefined && CONTENTION_CODES.has(reason.Code));
}
