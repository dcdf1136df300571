/**
 * What the stateless HTTP endpoint refuses before any server is built. Streamable HTTP (MCP
 * 2025-06-18 and 2025-11-25, "Transports"):
 * - a `GET` opens a stream of server messages, or the server answers 405; a stateless Lambda has
 *   nothing to say outside a request and cannot hold a stream open, so it answers 405, as it
 *   does to `DELETE` (there is no session to end);
 * - JSON-RPC batching left the protocol in 2025-06-18, and one POST carrying up to 100 calls (each
 *   up to seven service calls) is a way round every per-request limit: a batch is refused;
 * - a body is one JSON-RPC message; anything over `MAX_BODY_BYTES` is refused unread.
 * The protocol version header is the SDK transport's to check (it answers 400 for one it does
 * not support). Pure.
 */

/** One JSON-RPC message: a tool call's arguments are a few hundred bytes; 64 KiB is room to spare. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Refused {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** JSON-RPC's code for a request that is not a valid Request object (JSON-RPC 2.0, section 5.1). */
const INVALID_REQUEST = -32600;
/** The code the SDK's transport answers its own HTTP-level refusals with. */
const SERVER_ERROR = -32000;

/** The refusal of a request the endpoint will not serve, or undefined when it may go on. */
export function refusalOf(method: string, body: Buffer | undefined): Refused | undefined {
  if (method !== 'POST') return refused(405, SERVER_ERROR, `Method not allowed: this MCP endpoint is stateless; POST one JSON-RPC message per request.`, { allow: 'POST' });
  if (body && body.byteLength > MAX_BODY_BYTES) return refused(413, SERVER_ERROR, `Request body too large: at most ${MAX_BODY_BYTES} bytes.`);
  if (body && startsABatch(body)) return refused(400, INVALID_REQUEST, 'Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed batching); send one message per request.');
  return undefined;
}

/** JSON's white space (RFC 8259, section 2): space, tab, line feed, carriage return. */
const WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Whether the body is a JSON array: its first byte that is not white space is `[`. */
function startsABatch(body: Buffer): boolean {
  for (const byte of body) if (!WHITE_SPACE.has(byte)) return byte === 0x5b;
  return false;
}

function refused(statusCode: number, code: number, message: string, headers: Record<string, string> = {}): Refused {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }) };
}
