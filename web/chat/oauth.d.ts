/** Types of oauth.js (the page loads the .js as it is; tests and editors read these). */
import type { AuthSettings } from './config.js';

/** What this tab keeps (sessionStorage) between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce?: string;
  client_id: string;
  redirect_uri: string;
  created_at: number;
}

export type Redirect = { kind: 'none' } | { kind: 'code'; code: string; state?: string } | { kind: 'error'; error: string; state?: string };
export type SignInFailure = { ok: false; problem: 'no-attempt' | 'state' | 'stale' | 'provider' | 'token' | 'id-token'; error?: string };

export const PENDING_KEY: string;
export const SESSION_KEY: string;
export const PENDING_MAX_AGE_MS: number;
export const PROBLEM_KEYS: string[];

export function base64UrlEncode(bytes: Uint8Array): string;
export function randomToken(bytes?: number, crypto?: Crypto): string;
export function codeChallenge(verifier: string, crypto?: Crypto): Promise<string>;
export function beginSignIn(auth: Pick<AuthSettings, 'authorizeUrl' | 'clientId' | 'redirectUri'> & { scopes?: string[] }, options?: { crypto?: Crypto; now?: number }): Promise<{ url: string; pending: PendingSignIn }>;
export function readPending(text: string | null | undefined): PendingSignIn | undefined;
export function readRedirect(search: string): Redirect;
export function checkRedirect(redirect: Exclude<Redirect, { kind: 'none' }>, pending: PendingSignIn | undefined, now?: number): { ok: true; code: string } | SignInFailure;
export function tokenRequest(auth: Pick<AuthSettings, 'tokenUrl'>, code: string, pending: PendingSignIn): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: string } };
export function readTokenResponse(status: number, body: unknown, pending: PendingSignIn, now?: number): { ok: true; session: { id_token: string; expires_at: number } } | SignInFailure;
export function readSession(text: string | null | undefined, now?: number): { idToken: string; expiresAt: number; expired: boolean } | undefined;
export function cleanUrl(href: string): string;
export function logoutUrl(auth: Pick<AuthSettings, 'clientId' | 'redirectUri'> & { logoutUrl?: string }): string | undefined;
export function signInProblem(failure: { problem: string; error?: string }): { key: string; params: Record<string, string> };
