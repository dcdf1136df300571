/**
 * Approvals: how a customer says yes when they are not the one typing. An agent (MCP over HTTP,
 * AgentCore, a stdio client that cannot ask its user) that calls an operation which moves money,
 * changes who can receive it or lets a card be used gets an approval to hand the customer: a link
 * to Centli's own approval page, where the customer, signed in as themselves, sees exactly what
 * will happen and approves or declines it. Nothing an agent holds completes the operation: the
 * approval id names the approval, and only the customer's decision on the page (or in their own
 * client's dialog) changes it.
 *
 * An approval is bound to the customer, the tool, the canonical arguments and the request that
 * was summarised (the request itself is kept, and is what runs), expires with the pending
 * operation, and moves `pending` → `approved` | `declined` (the customer) → `used` (the door, once,
 * when the operation runs). The operation's request_id is derived from the approval id, so an
 * approval runs its operation exactly once: every later call re-sends the same request, which the
 * service answers with its first outcome. Pure.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fingerprint } from '@centli/pure/canonical';
import type { Locale } from '@centli/pure/locale';
import type { ToolAnswer, ToolRequest } from './plan';

/** How long a customer has to decide: as long as a confirmation in the chat. */
export const APPROVAL_TTL_SECONDS = 300;

/** How long the record of an approval is kept after it expires. */
export const APPROVAL_KEPT_SECONDS = 7 * 24 * 3600;

export type ApprovalStatus = 'pending' | 'approved' | 'declined' | 'used';

/** Who decided: the customer on Centli's page, in their own MCP client's dialog (form elicitation), or with a "no" on their own chat socket (declining only). */
export type DecidedVia = 'page' | 'elicitation' | 'chat';

export interface Approval {
  /** `approval#<approval_id>`. */
  pk: string;
  approval_id: string;
  user_id: string;
  tool: string;
  /** The fingerprint of the arguments that asked for it (an approval_id among them is not part of what was asked). */
  args_hash: string;
  /** The request the customer approves, without identifiers: what runs. */
  request: ToolRequest;
  /** What the customer is shown: the plan's summary. */
  summary: string;
  /** What the plan learned to write it (the customer's accounts, the payee): the outcome is told with the same facts. */
  answers?: Record<string, ToolAnswer>;
  locale: Locale;
  status: ApprovalStatus;
  /** The operation is above the customer's MTU: approving it needs a second factor (the customer's passkey on the page, checked by the approvals API; lib/pure/step-up.ts). */
  step_up?: boolean;
  /** When the approvals API verified the passkey assertion that approved it: the request carries it, and the service checks it is recent. */
  second_factor_at?: string;
  created_at: string;
  /** Epoch seconds: the customer decides, and an approved operation runs, before then. */
  expires_at: number;
  /** Epoch seconds, the table's TTL: a week after it expires, so a later call still learns what happened. */
  ttl: number;
  decided_at?: string;
  decided_via?: DecidedVia;
  used_at?: string;
  correlation_id?: string;
}

/** The item that points at the live approval of one customer, tool and arguments. */
export interface ApprovalPointer {
  /** `approval-of#<user_id>#<tool>#<args_hash>`. */
  pk: string;
  approval_id: string;
  expires_at: number;
  ttl: number;
}

/** 128 random bits, named so: `ap_…`. It names an approval; it approves nothing. */
export function newApprovalId(): string {
  return `ap_${randomBytes(16).toString('base64url')}`;
}

export const isApprovalId = (value: unknown): value is string => typeof value === 'string' && /^ap_[A-Za-z0-9_-]{22}$/.test(value);

export const approvalKey = (approvalId: string): string => `approval#${approvalId}`;

/** Where the live approval of these exact arguments is found, so a call repeated without its approval_id (a client retrying after URL elicitation) finds it. */
export const approvalPointerKey = (userId: string, tool: string, argsHash: string): string => `approval-of#${userId}#${tool}#${argsHash}`;

/** The request_id the approved operation runs with: the same on every call, so it runs once. */
export function approvedRequestId(approvalId: string): string {
  return `ap-${createHash('sha256').update(`request\u0000${approvalId}`).digest('base64url').slice(0, 40)}`;
}

/** The arguments as asked: without the approval_id that names the approval. */
export function argsHashOf(args: Readonly<Record<string, unknown>>): string {
  const { approval_id: _approval, ...asked } = args;
  return fingerprint(asked);
}

/** The page a customer approves on: `<page>?id=<approval_id>`. */
export function approvalUrl(page: string, approvalId: string): string {
  const url = new URL(page);
  url.searchParams.set('id', approvalId);
  return url.toString();
}

/** A new approval of `request`, as of `now`, with the pointer that finds it by its arguments. */
export function openApproval(
  fields: { userId: string; tool: string; args: Readonly<Record<string, unknown>>; request: ToolRequest; summary: string; answers?: Record<string, ToolAnswer>; locale: Locale; stepUp?: boolean; correlationId?: string },
  now: Date,
  approvalId: string = newApprovalId(),
): { approval: Approval; pointer: ApprovalPointer } {
  const expiresAt = Math.floor(now.getTime() / 1000) + APPROVAL_TTL_SECONDS;
  const argsHash = argsHashOf(fields.args);
  const approval: Approval = {
    pk: approvalKey(approvalId),
    approval_id: approvalId,
    user_id: fields.userId,
    tool: fields.tool,
    args_hash: argsHash,
    request: fields.request,
    summary: fields.summary,
    ...(fields.answers ? { answers: fields.answers } : {}),
    locale: fields.locale,
    status: 'pending',
    ...(fields.stepUp ? { step_up: true } : {}),
    created_at: now.toISOString(),
    expires_at: expiresAt,
    ttl: expiresAt + APPROVAL_KEPT_SECONDS,
    ...(fields.correlationId ? { correlation_id: fields.correlationId } : {}),
  };
  return { approval, pointer: { pk: approvalPointerKey(fields.userId, fields.tool, argsHash), approval_id: approvalId, expires_at: expiresAt, ttl: expiresAt + APPROVAL_KEPT_SECONDS } };
}

/**
 * The request an approved approval runs: the one approved, carrying the second factor that
 * approved it when the operation needed one (Core Banking checks it is fresh), never otherwise.
 */
export function requestToRun(approval: Pick<Approval, 'request' | 'step_up' | 'second_factor_at'>): ToolRequest {
  if (!approval.step_up || !approval.second_factor_at) return approval.request;
  return { detailType: approval.request.detailType, detail: { ...approval.request.detail, second_factor_at: approval.second_factor_at } };
}

/** Where an approval stands for one call, as the door must answer it. */
export type ApprovalState =
  /** Not this customer's, or no such approval: told like one that never existed, so nothing of another customer leaks. */
  | 'invalid'
  /** For another tool or other arguments than this call's. */
  | 'altered'
  | 'expired'
  | 'pending'
  | 'declined'
  /** Approved and not yet run: the door runs it (once: it marks it used first). */
  | 'approved'
  /** Run already: the door re-sends the same request and tells what happened. */
  | 'used';

/** Where `approval` stands for a call of `tool` with `args` by `userId`, at `now`. */
export function approvalState(approval: Approval | undefined, call: { userId: string; tool: string; args: Readonly<Record<string, unknown>> }, now: Date): ApprovalState {
  if (!approval || approval.user_id !== call.userId) return 'invalid';
  if (approval.tool !== call.tool || approval.args_hash !== argsHashOf(call.args)) return 'altered';
  if (approval.status === 'used') return 'used';
  if (approval.status === 'declined') return 'declined';
  if (approval.expires_at <= Math.floor(now.getTime() / 1000)) return 'expired';
  return approval.status;
}

/** What the approval page shows of an approval (never its request's identifiers: it has none). */
export interface ApprovalView {
  approval_id: string;
  tool: string;
  summary: string;
  status: ApprovalStatus | 'expired';
  expires_at: string;
  locale: Locale;
  /** Approving needs the second factor: the page asks for a passkey before it sends the decision. */
  step_up_required: boolean;
}

export function viewOf(approval: Approval, now: Date): ApprovalView {
  const expired = (approval.status === 'pending' || approval.status === 'approved') && approval.expires_at <= Math.floor(now.getTime() / 1000);
  return {
    approval_id: approval.approval_id,
    tool: approval.tool,
    summary: approval.summary,
    status: approval.status === 'pending' && expired ? 'expired' : approval.status,
    expires_at: new Date(approval.expires_at * 1000).toISOString(),
    locale: approval.locale,
    step_up_required: approval.step_up === true,
  };
}
