/**
 * The approval page's rules (approve.html, approve.js): which approval the address names, what
 * the customer may do with an approval as the API shows it, and the step-up sign-in an approval
 * above the customer's MTU needs: an OpenID Connect request for a passkey sign-in (`acr_values`,
 * `max_age=0`, `prompt=login`) whose nonce names the approval, so its ID token approves that one
 * approval and no other (lib/pure/step-up.ts says the same on the server). No DOM.
 *
 * @module
 */
import { decodeJwtPayload } from './config.js';
import { beginSignIn } from './oauth.js';

/** sessionStorage: this tab's sign-in on the approval page (`{ id_token, expires_at }`, as oauth.js's session). */
export const APPROVAL_SESSION_KEY = 'centli.approval.session';
/** sessionStorage: what the tab was doing when it left for the provider (`{ approval_id, purpose }`). */
export const APPROVAL_PENDING_KEY = 'centli.approval.pending';
/** sessionStorage: the step-up ID token of one approval (`{ approval_id, id_token }`). */
export const STEP_UP_KEY = 'centli.approval.step-up';

/** lib/pure/step-up.ts's words, which the page cannot import: the unit tests hold them equal. */
export const STEP_UP_ACR = 'urn:centli:acr:passkey';
export const STEP_UP_MAX_AGE_SECONDS = 300;
export const stepUpNonce = (approvalId) => `step-up.${approvalId}`;

const APPROVAL_ID = /^ap_[A-Za-z0-9_-]{22}$/;

/** The tools that ask for an approval, and the i18n key of what each does. */
export const TOOL_KEYS = {
  transfer_funds: 'approval.tool.transferFunds',
  purchase_product: 'approval.tool.purchaseProduct',
  request_new_card: 'approval.tool.requestNewCard',
  add_beneficiary: 'approval.tool.addBeneficiary',
  unlock_card: 'approval.tool.unlockCard',
};

/**
 * The approval id the page's address names (`?id=ap_…`), or undefined.
 *
 * @param {string} search `location.search`.
 */
export function approvalIdOf(search) {
  const id = new URLSearchParams(search).get('id');
  return id && APPROVAL_ID.test(id) ? id : undefined;
}

/**
 * What the page shows of an approval the API answered (services/mcp/src/app/approvals.ts's
 * ApprovalView): its state, as of `now` too (a pending one whose time ran out is expired), and
 * whether the customer can still decide it.
 *
 * @param {{ status: string, expires_at: string, step_up_required?: boolean }} view
 * @param {number} [now]
 * @returns {{ state: 'pending' | 'approved' | 'declined' | 'used' | 'expired', decidable: boolean, stepUp: boolean }}
 */
export function screenOf(view, now = Date.now()) {
  const known = ['pending', 'approved', 'declined', 'used', 'expired'];
  let state = known.includes(view.status) ? view.status : 'expired';
  if (state === 'pending' && Date.parse(view.expires_at) <= now) state = 'expired';
  return { state, decidable: state === 'pending', stepUp: state === 'pending' && view.step_up_required === true };
}

/**
 * Where to send the browser for the step-up: a sign-in like any other (PKCE, state), asking for a
 * passkey now, for this approval, as the customer signed in (`id_token_hint`, `login_hint`).
 *
 * @param {{ authorizeUrl: string, clientId: string, redirectUri: string, scopes?: string[] }} auth
 * @param {string} approvalId
 * @param {{ idToken: string, userId?: string }} session
 * @param {{ crypto?: Crypto, now?: number }} [options]
 */
export async function beginStepUp(auth, approvalId, session, options = {}) {
  const { url, pending } = await beginSignIn(auth, options);
  const request = new URL(url);
  const nonce = stepUpNonce(approvalId);
  request.searchParams.set('nonce', nonce);
  request.searchParams.set('acr_values', STEP_UP_ACR);
  request.searchParams.set('max_age', '0');
  request.searchParams.set('prompt', 'login');
  request.searchParams.set('id_token_hint', session.idToken);
  if (session.userId) request.searchParams.set('login_hint', session.userId);
  return { url: request.toString(), pending: { ...pending, nonce } };
}

/**
 * The stored step-up token, if it is for this approval and recent enough to approve with (the
 * API checks it again: signature, customer, acr, nonce and auth_time).
 *
 * @param {string | null | undefined} text What STEP_UP_KEY holds.
 * @param {string} approvalId
 * @param {number} [now]
 * @returns {string | undefined}
 */
export function readStepUp(text, approvalId, now = Date.now()) {
  let stored;
  try {
    stored = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (!stored || stored.approval_id !== approvalId || typeof stored.id_token !== 'string') return undefined;
  const claims = decodeJwtPayload(stored.id_token);
  if (!claims || claims.nonce !== stepUpNonce(approvalId) || typeof claims.auth_time !== 'number') return undefined;
  return now / 1000 - claims.auth_time <= STEP_UP_MAX_AGE_SECONDS ? stored.id_token : undefined;
}
