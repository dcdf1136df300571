/**
 * The page's HTTP reads: its config.json, and on the local stack the read API behind the events
 * and saga panels (`http` in config.json). Every request gives up after a while, so a panel says
 * the server is not answering rather than waiting forever.
 *
 * @module
 */

const FETCH_TIMEOUT_MS = 8000;

/**
 * A fetch that gives up after FETCH_TIMEOUT_MS.
 *
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function timedFetch(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The JSON at `url`, never cached.
 *
 * @param {string} url
 * @returns {Promise<unknown>}
 * @throws {Error} With `status` for an HTTP error; `not JSON`; `timeout`; or the network's error.
 */
export async function fetchJson(url) {
  try {
    const response = await timedFetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error('not JSON', { cause: error });
    }
  } catch (error) {
    if (error?.name === 'AbortError') throw new Error('timeout', { cause: error });
    throw error;
  }
}

/**
 * Why a read failed, in a few words for the panel or notice that says so.
 *
 * @param {unknown} error What {@link fetchJson} threw.
 * @param {'es'|'en'} locale
 * @returns {string}
 */
export function reasonOf(error, locale) {
  if (error?.status) return `HTTP ${error.status}`;
  return error?.message === 'Failed to fetch' || error instanceof TypeError ? (locale === 'en' ? 'no answer from the server' : 'el servidor no responde') : String(error?.message ?? error);
}

/**
 * Whether anything answers at the stack's HTTP origin (an opaque answer counts).
 *
 * @param {string} http The `http` URL of config.json.
 * @returns {Promise<boolean>}
 */
export async function serverReachable(http) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2500);
  try {
    await fetch(`${http}/health`, { mode: 'no-cors', cache: 'no-store', signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
