/** Types of config.js (the page loads the .js as it is; tests and editors read these). */

export interface Customer {
  userId: string;
  name: string;
  token: string;
}

/** Where and how the page signs in (OAuth 2.0 authorization code flow with PKCE). */
export interface AuthSettings {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  logoutUrl?: string;
}

export type PageConfig =
  | { ok: true; websocket: string; http?: string; approvalsApi?: string; auth?: AuthSettings; customers?: Customer[]; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

export const DEFAULT_SCOPES: string[];
export function parseConfig(raw: unknown): PageConfig;
export function decodeJwtPayload(token: unknown): Record<string, unknown> | undefined;
export function customerFromToken(token: string, now?: number): { userId?: string; name?: string; expiresAt?: number; problem?: 'malformed' | 'expired' };
