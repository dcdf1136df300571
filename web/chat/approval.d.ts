/** Types of approval.js (the page loads the .js as it is; tests and editors read these). */
import type { AuthSettings } from './config.js';
import type { PendingSignIn } from './oauth.js';

export const APPROVAL_SESSION_KEY: string;
export const APPROVAL_PENDING_KEY: string;
export const STEP_UP_KEY: string;
export const STEP_UP_ACR: string;
export const STEP_UP_MAX_AGE_SECONDS: number;
export function stepUpNonce(approvalId: string): string;
export const TOOL_KEYS: Record<string, string>;

export function approvalIdOf(search: string): string | undefined;
export function screenOf(
  view: { status: string; expires_at: string; step_up_required?: boolean },
  now?: number,
): { state: 'pending' | 'approved' | 'declined' | 'used' | 'expired'; decidable: boolean; stepUp: boolean };
export function beginStepUp(
  auth: Pick<AuthSettings, 'authorizeUrl' | 'clientId' | 'redirectUri'> & { scopes?: string[] },
  approvalId: string,
  session: { idToken: string; userId?: string },
  options?: { crypto?: Crypto; now?: number },
): Promise<{ url: string; pending: PendingSignIn }>;
export function readStepUp(text: string | null | undefined, approvalId: string, now?: number): string | undefined;
