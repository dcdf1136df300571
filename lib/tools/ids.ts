/**
 * The one request-id scheme of every front door. A tool call (a chat turn, an MCP call, a phone call's turn) has one
 * correlation id, `<door>-<uuid>`, which every event, service, saga step and answer of it carries;
 * each request it makes is keyed by what it is for, within that correlation id:
 * - a plan's query: `<correlation id>-<the plan's key>` (`chat-…-beneficiary`), with the round
 *   appended once a choice replanned the call (`-beneficiary-1`), so each query is its own request;
 * - the request a plan sends without confirmation: `<correlation id>-send`;
 * - a confirmed request: derived from the confirmation's token (`confirmedRequestId`), the same for
 *   every use of one token, so even two racing confirmations reach a service as one request;
 * - a follow-up of what was sent (a purchase's status): `<correlation id>-<what>-<attempt>`.
 * The customer is always the authenticated one: `stamp` takes the user id from the door, never
 * from the request. Pure.
 */
import type { ToolRequest } from './plan';

/** The doors that start tool calls, as their correlation ids say. */
export type Door = 'chat' | 'mcp' | 'voice';

/** A request with its identifiers, ready for the bus or a service's function. */
export interface StampedRequest {
  detailType: string;
  detail: Record<string, unknown> & { request_id: string; correlation_id: string; user_id: string };
}

/** A tool call's correlation id: `<door>-<id>`. */
export function correlationIdFor(door: Door, id: string): string {
  return `${door}-${id}`;
}

/** Whether a correlation id is one this door gave. */
export function isCorrelationOf(door: Door, correlationId: unknown): correlationId is string {
  return typeof correlationId === 'string' && correlationId.startsWith(`${door}-`);
}

/** The request id of a plan's query, keyed as the plan keys its answer; `round` counts the replans a choice made. */
export function queryRequestId(correlationId: string, key: string, round = 0): string {
  return `${correlationId}-${key}${round > 0 ? `-${round}` : ''}`;
}

/** The request id of what a plan sends without a confirmation. */
export function sendRequestId(correlationId: string): string {
  return `${correlationId}-send`;
}

/** The request id of the n-th follow-up of what was sent (`status`, 1 → `<correlation id>-status-1`). */
export function followUpRequestId(correlationId: string, what: string, attempt: number): string {
  return `${correlationId}-${what}-${attempt}`;
}

/** A request with the ids the door gives it: its request id, the call's correlation id and the authenticated customer. */
export function stamp(request: ToolRequest, ids: { requestId: string; correlationId: string; userId: string }): StampedRequest {
  return { detailType: request.detailType, detail: { ...request.detail, request_id: ids.requestId, correlation_id: ids.correlationId, user_id: ids.userId } };
}
