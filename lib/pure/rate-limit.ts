/**
 * Per-customer rate limits, the same on every door (the chat, MCP over any transport, the doors
 * to come): in each minute a customer gets at most so many reads (a read-only tool, a chat
 * message, which is a model call) and so many operations (anything that moves money, changes
 * payees or cards: a new one, not a retry of one already asked for). Fixed one-minute windows,
 * counted in one DynamoDB item per customer, kind and minute (lib/tools/adapters/rate-limiter.ts):
 * one conditional update on the hot path, and the item expires on its own. Pure.
 */

export type RateKind = 'read' | 'write';

export interface RateLimits {
  /** Reads a customer may make in one minute: 60 by default. */
  read: number;
  /** Operations a customer may ask for in one minute: 10 by default. */
  write: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { read: 60, write: 10 };

export const RATE_WINDOW_SECONDS = 60;

/** How long a window's counter is kept after its minute ends (the table's TTL; DynamoDB deletes it later still). */
export const RATE_KEPT_SECONDS = 120;

/** The limits a stage sets (`CENTLI_RATE_READS_PER_MINUTE`, `CENTLI_RATE_WRITES_PER_MINUTE`), else the defaults. */
export function rateLimitsFrom(env: Readonly<Record<string, string | undefined>>): RateLimits {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of requests a minute, at least 1: ${raw}`);
    return value;
  };
  return { read: read('CENTLI_RATE_READS_PER_MINUTE', DEFAULT_RATE_LIMITS.read), write: read('CENTLI_RATE_WRITES_PER_MINUTE', DEFAULT_RATE_LIMITS.write) };
}

/** The minute `now` falls in: its counter's key, when the item may go, and how long until the next one. */
export function rateWindow(userId: string, kind: RateKind, now: Date): { key: string; ttl: number; retryAfter: number } {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % RATE_WINDOW_SECONDS);
  const end = start + RATE_WINDOW_SECONDS;
  return { key: `rate#${userId}#${kind}#${start}`, ttl: end + RATE_KEPT_SECONDS, retryAfter: Math.max(1, end - seconds) };
}

/** A tool call's kind: a read-only tool reads; any other asks for an operation. */
export function rateKindOf(tool: { read_only: boolean }): RateKind {
  return tool.read_only ? 'read' : 'write';
}
