/**
 * The approval page's rules (approve.html, approve.js): which approval the address names, what
 * the customer may do with an approval as the API shows it, and the fresh sign-in that adding a
 * passkey needs: a sign-in like any other (PKCE, state, nonce) that asks the provider to sign the
 * customer in again now (`prompt=login`, `max_age=0`), so the ID token's `auth_time` is this
 * moment. The passkey ceremonies themselves are the approvals API's (services/mcp/src/app/passkeys.ts),
 * which checks the sign-in's age again. No DOM.
 *
 * @module
 */
import { decodeJwtPayload } from './config.js';
import { beginSignIn } from './oauth.js';

/** sessionStorage: this tab's sign-in on the approval page (`{ id_token, expires_at }`, as oauth.js's session). */
export const APPROVAL_SESSION_KEY = 'centli.approval.session';
/** sessionStorage: what the tab was doing when it left for the provider (`{ approval_id, purpose }`). */
export const APPROVAL_PENDING_KEY = 'centli.approval.pending';

/** services/mcp/src/domain/passkeys.ts's FRESH_SIGN_IN_SECONDS, which the page cannot import: the unit tests hold them equal. */
export const FRESH_SIGN_IN_SECONDS = 300;

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
 * Where to send the browser to sign in again before adding a passkey: the provider asks for the
 * customer's credentials again whatever session it has (`prompt=login`, `max_age=0`), naming who
 * is signed in on the page (`login_hint`).
 *
 * @param {{ authorizeUrl: string, clientId: string, redirectUri: string, scopes?: string[] }} auth
 * @param {{ userId?: string }} [session]
 * @param {{ crypto?: Crypto, now?: number }} [options]
 */
export async function beginFreshSignIn(auth, session, options = {}) {
  const { url, pending } = await beginSignIn(auth, options);
  const request = new URL(url);
  request.searchParams.set('prompt', 'login');
  request.searchParams.set('max_age', '0');
  if (session?.userId) request.searchParams.set('login_hint', session.userId);
  return { url: request.toString(), pending };
}

/**
 * Whether the page's ID token is a sign-in fresh enough to add a passkey (its `auth_time` at most
 * FRESH_SIGN_IN_SECONDS ago): the page asks for a new sign-in first when it is not. The API
 * decides; this only saves the customer a refusal.
 *
 * @param {string | undefined} idToken
 * @param {number} [now]
 */
export function isFreshSignIn(idToken, now = Date.now()) {
  const claims = idToken ? decodeJwtPayload(idToken) : undefined;
  if (!claims || typeof claims.auth_time !== 'number') return false;
  const age = now / 1000 - claims.auth_time;
  return age <= FRESH_SIGN_IN_SECONDS && age >= -5;
}
