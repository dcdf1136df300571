/** Types of format.js (the page loads the .js as it is; tests and editors read these). */

export type TextBlock = { type: 'paragraph'; lines: string[] } | { type: 'list'; items: string[] };

export function textBlocks(text: unknown): TextBlock[];
export function formatDuration(ms: number | undefined): string;
export function formatClock(when: string | number | Date, options?: { short?: boolean; milliseconds?: boolean }): string;
export function countdown(expiresAtMs: number, nowMs: number): { remainingMs: number; expired: boolean; label: string; urgent: boolean };
export function prettyJson(value: unknown): string;
export function initials(name: unknown): string;
export function shortId(id: unknown, keep?: number): string;
export function guessLocale(text: unknown): 'es' | 'en' | undefined;
