/**
 * Formatting for the chat page, without the DOM: the assistant's text as blocks the page
 * renders with textContent (never as HTML), durations, clock times, countdowns and JSON.
 *
 * @module
 */

const BULLET = /^\s*[•·▪‣◦*-]\s+/;

/**
 * The assistant's text as blocks: paragraphs (their line breaks kept as `lines`) and bullet
 * lists (`• ` lines, also `- ` and `* `). Blank lines separate paragraphs. Text only: the page
 * puts each string in a text node.
 *
 * @param {string} text
 * @returns {({ type: 'paragraph', lines: string[] } | { type: 'list', items: string[] })[]}
 */
export function textBlocks(text) {
  if (typeof text !== 'string') return [];
  const blocks = [];
  let current;
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.replace(/\s+$/, '');
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (BULLET.test(line)) {
      const item = line.replace(BULLET, '');
      if (current?.type !== 'list') {
        current = { type: 'list', items: [] };
        blocks.push(current);
      }
      current.items.push(item);
    } else {
      if (current?.type !== 'paragraph') {
        current = { type: 'paragraph', lines: [] };
        blocks.push(current);
      }
      current.lines.push(line);
    }
  }
  return blocks;
}

/**
 * A duration for people: `0 ms`, `850 ms`, `1.2 s`, `12 s`, `2 min 05 s`.
 *
 * @param {number | undefined} ms
 */
export function formatDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/**
 * Local clock time `HH:MM:SS.mmm` (or `HH:MM` with `short`), for events and messages.
 *
 * @param {string | number | Date} when
 * @param {{ short?: boolean, milliseconds?: boolean }} [options]
 */
export function formatClock(when, options = {}) {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return '';
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (options.short) return hm;
  const s = `${hm}:${pad(date.getSeconds())}`;
  return options.milliseconds === false ? s : `${s}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * What is left of a confirmation's time: `m:ss`, and whether it ran out.
 *
 * @param {number} expiresAtMs
 * @param {number} nowMs
 * @returns {{ remainingMs: number, expired: boolean, label: string, urgent: boolean }}
 */
export function countdown(expiresAtMs, nowMs) {
  const remainingMs = Math.max(0, expiresAtMs - nowMs);
  const total = Math.ceil(remainingMs / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return { remainingMs, expired: remainingMs <= 0, label: `${minutes}:${pad(seconds)}`, urgent: remainingMs > 0 && remainingMs <= 30_000 };
}

/**
 * JSON indented for a `<pre>`: never throws (cycles, BigInt), `undefined` shown as such.
 *
 * @param {unknown} value
 */
export function prettyJson(value) {
  if (value === undefined) return 'undefined';
  try {
    const seen = new WeakSet();
    const text = JSON.stringify(
      value,
      (_key, v) => {
        if (typeof v === 'bigint') return v.toString();
        if (v && typeof v === 'object') {
          if (seen.has(v)) return '[circular]';
          seen.add(v);
        }
        return v;
      },
      2,
    );
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

/**
 * Up to two initials for an avatar: "Ana García" → "AG", "user-ana" → "UA".
 *
 * @param {string} name
 */
export function initials(name) {
  if (typeof name !== 'string') return '?';
  const words = name
    .trim()
    .split(/[\s_.@-]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : [[...words[0]][0], [...words[words.length - 1]][0]];
  return letters.join('').toUpperCase();
}

/**
 * A long identifier shortened for a label, the whole of it kept for a tooltip.
 *
 * @param {string} id
 * @param {number} [keep]
 */
export function shortId(id, keep = 8) {
  if (typeof id !== 'string') return '';
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep)}`;
}

/**
 * A guess at the language of what the customer typed, for the page's own words before the
 * server says (the server's `locale` always wins).
 *
 * @param {string} text
 * @returns {'es' | 'en' | undefined}
 */
export function guessLocale(text) {
  if (typeof text !== 'string') return undefined;
  const lower = text.toLowerCase();
  if (/[¿¡ñáéíóú]/.test(lower)) return 'es';
  const words = lower.match(/[a-z']+/g) ?? [];
  const en = new Set(['what', 'my', 'is', 'the', 'how', 'much', 'did', 'i', 'spend', 'yesterday', 'balance', 'transfer', 'to', 'buy', 'lock', 'card', 'lost', 'please', 'yes', 'show', 'send', 'months', 'with', 'ending', 'brother', 'a', 'of', 'and', 'hi', 'hello']);
  const es = new Set(['cual', 'es', 'mi', 'saldo', 'que', 'gaste', 'ayer', 'transfiere', 'pesos', 'a', 'hermano', 'compra', 'una', 'meses', 'sin', 'intereses', 'bloquea', 'tarjeta', 'con', 'terminacion', 'perdi', 'hola', 'si', 'por', 'favor', 'de', 'la', 'el', 'mis', 'cuanto', 'y']);
  let score = 0;
  for (const w of words) {
    if (en.has(w) && !es.has(w)) score++;
    if (es.has(w) && !en.has(w)) score--;
  }
  if (score > 0) return 'en';
  if (score < 0) return 'es';
  return undefined;
}
