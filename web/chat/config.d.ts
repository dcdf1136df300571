/** Types of config.js (the page loads the .js as it is; tests and editors read these). */

export interface Customer {
  userId: string;
  name: string;
  token: string;
}

export type PageConfig =
  | { ok: true; websocket: string; http: string; customers?: Customer[]; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

export function parseConfig(raw: unknown): PageConfig;
export function decodeJwtPayload(token: unknown): Record<string, unknown> | undefined;
export function customerFromToken(token: string, now?: number): { userId?: string; name?: string; expiresAt?: number; problem?: 'malformed' | 'expired' };
