/**
 * The event EventBridge hands its targets, built the way EventBridge builds it from a
 * PutEvents entry.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';

/** The account id every local ARN and event carries. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** An event as an EventBridge target receives it. */
export interface EventBridgeEvent<Detail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, UTC (`2024-05-01T12:00:00Z`), as EventBridge writes it. */
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** What a producer puts on the bus. */
export interface EventInput<Detail = Record<string, unknown>> {
  source: string;
  detailType: string;
  detail: Detail;
  time?: Date | undefined;
  resources?: readonly string[] | undefined;
  region?: string | undefined;
  account?: string | undefined;
  id?: string | undefined;
}

/** Builds the full event a target receives: version `0`, a fresh id, the time, region and account. */
export function createEventBridgeEvent<Detail>(input: EventInput<Detail>): EventBridgeEvent<Detail> {
  return {
    version: '0',
    id: input.id ?? randomUUID(),
    'detail-type': input.detailType,
    source: input.source,
    account: input.account ?? LOCAL_ACCOUNT_ID,
    time: eventTime(input.time ?? new Date()),
    region: input.region ?? 'us-east-1',
    resources: [...(input.resources ?? [])],
    detail: input.detail,
  };
}

/** EventBridge's time format: UTC, no fractional seconds. */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
