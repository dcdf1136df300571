/** Types of i18n.js (the page loads the .js as it is; tests and editors read these). */

export const MESSAGES: { es: Record<string, string>; en: Record<string, string> };
export const SUGGESTIONS: { es: string[]; en: string[] };
export function translate(locale: 'es' | 'en', key: string, params?: Record<string, string | number>): string;
