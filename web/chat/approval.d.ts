/** Types of approval.js (the page loads the .js as it is; tests and editors read these). */
import type { AuthSettings } from './config.js';
import type { PendingSignIn } from './oauth.js';

export const APPROVAL_SESSION_KEY: string;
export const APPROVAL_PENDING_KEY: string;
export const FRESH_SIGN_IN_SECONDS: number;
export const TOOL_KEYS: Record<string, string>;

export function approvalIdOf(search: string): string | undefined;
export function screenOf(
  view: { status: string; expires_at: string; step_up_required?: boolean },
  now?: number,
): { state: 'pending' | 'approved' | 'declined' | 'used' | 'expired'; decidable: boolean; stepUp: boolean };
export function beginFreshSignIn(
  auth: Pick<AuthSettings, 'authorizeUrl' | 'clientId' | 'redirectUri'> & { scopes?: string[] },
  session?: { userId?: string },
  options?: { crypto?: Crypto; now?: number },
): Promise<{ url: string; pending: PendingSignIn }>;
export function isFreshSignIn(idToken: string | undefined, now?: number): boolean;
