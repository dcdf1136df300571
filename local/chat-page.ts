/**
 * The chat page, served by the local stack at `/chat/` from web/chat (plain HTML, CSS and ES
 * modules: nothing to build), with the `config.json` it starts from: the WebSocket URL, the
 * stack's URL (for the events and the saga drawn beside the conversation), where to sign in
 * (`auth`: the local issuer's OAuth endpoints, as a deployed stage names Cognito's managed login),
 * the approvals API the approval page (approve.html) calls (`approvals_api`), and the seeded
 * customers to sign in as at once, each with this stack's demo token. `/sagas/<key>` serves
 * each saga's definition (`/sagas/purchase`, `/sagas/spei-transfer`), as the stack runs it, for the page to draw.
 *
 * The libraries the pages import as they are published are served beside them (PAGE_VENDOR):
 * @simplewebauthn/browser's ES modules at `vendor/simplewebauthn/`, for the approval page's
 * passkeys. scripts/publish-chat.ts uploads the same files to the same keys.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, relative as relativeTo, sep } from 'node:path';
import { sendBody, sendJson, type LocalHttpServer } from './http';
import type { OAuthSettings } from './identity';

export const CHAT_PATH = '/chat/';

/**
 * The packages' browser builds the pages import, by the folder they are served from beside the
 * pages: @simplewebauthn/browser's ES modules (the package's `esm` folder, beside the CommonJS
 * build `require` resolves to).
 */
export const PAGE_VENDOR: Readonly<Record<string, string>> = {
  'vendor/simplewebauthn/': join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'esm'),
};

/** The vendored files, as the page's keys (`vendor/simplewebauthn/index.js`) and where each is: JavaScript only. */
export function vendorFiles(): Array<{ key: string; path: string }> {
  const files: Array<{ key: string; path: string }> = [];
  for (const [prefix, dir] of Object.entries(PAGE_VENDOR)) {
    const walk = (folder: string) => {
      for (const name of readdirSync(folder).sort()) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.js')) files.push({ key: `${prefix}${relativeTo(dir, path).split(sep).join('/')}`, path });
      }
    };
    walk(dir);
  }
  return files;
}

/** Where a vendored key is on disk; undefined for anything else, or a path leaving its folder. */
function vendorFile(relativePath: string): string | undefined {
  for (const [prefix, dir] of Object.entries(PAGE_VENDOR)) {
    if (!relativePath.startsWith(prefix)) continue;
    const file = normalize(join(dir, relativePath.slice(prefix.length)));
    return file.startsWith(dir + sep) && file.endsWith('.js') && existsSync(file) ? file : undefined;
  }
  return undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface ChatPageOptions {
  /** web/chat. */
  dir: string;
  /**
   * What the page's config.json says; read at each request, so it follows the stack. `origin` is
   * the one the page was asked for (`http://localhost:<port>` or `http://127.0.0.1:<port>`: the
   * server answers only its own loopback names).
   */
  config: (origin: string) => { websocket?: string; http: string; approvals_api?: string; auth?: OAuthSettings; customers: Array<{ user_id: string; name: string; token: string }>; failure_types?: string[] };
  /** Each saga's definition as run, by its state machine's key (`purchase`, `spei-transfer`): served at `/sagas/<key>`. */
  sagaDefinitions?: () => Readonly<Record<string, unknown>>;
}

/** Serves the page (see the module description); false when the repository has no web/chat. */
export function mountChatPage(server: LocalHttpServer, options: ChatPageOptions): boolean {
  if (!existsSync(join(options.dir, 'index.html'))) return false;
  server.route((request, response, url) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const saga = url.pathname.startsWith('/sagas/') ? options.sagaDefinitions?.()[decodeURIComponent(url.pathname.slice('/sagas/'.length))] : undefined;
    if (saga !== undefined) {
      sendJson(response, 200, saga);
      return true;
    }
    if (url.pathname === '/chat' || url.pathname === '/') {
      response.writeHead(302, { location: CHAT_PATH }).end();
      return true;
    }
    if (!url.pathname.startsWith(CHAT_PATH)) return false;
    const relative = decodeURIComponent(url.pathname.slice(CHAT_PATH.length)) || 'index.html';
    if (relative === 'config.json') {
      sendJson(response, 200, options.config(`http://${request.headers.host ?? url.host}`), { 'cache-control': 'no-store' });
      return true;
    }
    const vendored = vendorFile(relative);
    const file = vendored ?? normalize(join(options.dir, relative));
    if (!vendored && (!file.startsWith(options.dir + sep) || !existsSync(file))) {
      sendJson(response, 404, { message: `no file ${relative}` });
      return true;
    }
    sendBody(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file), { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    return true;
  });
  return true;
}
