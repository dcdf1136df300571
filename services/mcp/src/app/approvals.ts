/**
 * The approval page's API: what a customer sees of an approval, and their decision. The customer
 * is whoever the page's token names (as for every door); an approval that is not theirs is
 * answered exactly like one that does not exist, so nothing of another customer's leaks, and
 * nobody but its customer can approve or decline it.
 *
 *   GET  /approvals/{id}                         → 200 the approval as the page shows it, or 404
 *   POST /approvals/{id} {"decision":"approve"}  → 200 approved | declined, 404, 409 decided already, 410 expired,
 *                                                  401 step_up_required
 *
 * An approval above the customer's MTU (`step_up`) is approved only with `passkey` in the body:
 * the customer's passkey's WebAuthn assertion over the challenge `POST /approvals/{id}/passkey/options`
 * handed out for this approval (./passkeys.ts checks it). Without one, or with one that does not
 * verify, the answer is 401 step_up_required and nothing changes; with one, the approval records
 * the moment it was verified (second_factor_at). Declining needs no second factor: it moves nothing.
 */
import type { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { isApprovalId, viewOf, type ApprovalView } from '@centli/tools/approval';

export interface ApprovalsDeps {
  approvals: Pick<ApprovalStore, 'get' | 'decide'>;
  now: () => Date;
  /** Whether `assertion` is this customer's passkey signing this approval's challenge (PasskeyCeremonies.verifyStepUp). */
  verifyPasskey: (userId: string, approvalId: string, assertion: unknown, now: Date) => Promise<boolean>;
}

export type ApprovalsAnswer =
  | { status: 200; body: ApprovalView }
  | { status: 400 | 401 | 404 | 409 | 410; body: { error: 'invalid_request' | 'step_up_required' | 'not_found' | 'decided' | 'expired'; view?: ApprovalView } };

/** The approval as its customer sees it. */
export async function viewApproval(userId: string, approvalId: string, deps: ApprovalsDeps): Promise<ApprovalsAnswer> {
  const approval = isApprovalId(approvalId) ? await deps.approvals.get(approvalId) : undefined;
  if (!approval || approval.user_id !== userId) return { status: 404, body: { error: 'not_found' } };
  return { status: 200, body: viewOf(approval, deps.now()) };
}

/** The customer's decision, once, before the approval expires. */
export async function decideApproval(userId: string, approvalId: string, body: unknown, deps: ApprovalsDeps): Promise<ApprovalsAnswer> {
  const decision = (body as { decision?: unknown } | null)?.decision;
  if (decision !== 'approve' && decision !== 'decline') return { status: 400, body: { error: 'invalid_request' } };
  if (!isApprovalId(approvalId)) return { status: 404, body: { error: 'not_found' } };
  const now = deps.now();
  const asked = await deps.approvals.get(approvalId);
  if (!asked || asked.user_id !== userId) return { status: 404, body: { error: 'not_found' } };
  let secondFactorAt: string | undefined;
  // A decided or expired approval is told as such, whatever the assertion.
  if (decision === 'approve' && asked.step_up === true && viewOf(asked, now).status === 'pending') {
    const assertion = (body as { passkey?: unknown }).passkey;
    if (assertion === undefined || !(await deps.verifyPasskey(userId, approvalId, assertion, now))) return { status: 401, body: { error: 'step_up_required', view: viewOf(asked, now) } };
    secondFactorAt = now.toISOString();
  }
  const decided = await deps.approvals.decide(approvalId, userId, decision === 'approve' ? 'approved' : 'declined', 'page', now, secondFactorAt);
  if (decided === 'not_found') return { status: 404, body: { error: 'not_found' } };
  if (typeof decided !== 'string') return { status: 200, body: viewOf(decided, now) };
  if (decided === 'second_factor_required') return { status: 401, body: { error: 'step_up_required', view: viewOf(asked, now) } };
  // Decided already, or expired: the page shows where it stands.
  const approval = await deps.approvals.get(approvalId);
  const view = approval ? viewOf(approval, now) : undefined;
  return decided === 'decided' ? { status: 409, body: { error: 'decided', ...(view ? { view } : {}) } } : { status: 410, body: { error: 'expired', ...(view ? { view } : {}) } };
}

/** The page's origin may read an answer; any other gets no CORS header, so its browser keeps the answer from it. */
export function corsHeaders(origin: string | undefined, allowed: string | undefined): Record<string, string> {
  return { vary: 'origin', ...(origin && allowed && origin === allowed ? { 'access-control-allow-origin': origin } : {}) };
}
