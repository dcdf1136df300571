/**
 * What a Streamable HTTP client declared at `initialize`, carried by its `Mcp-Session-Id`.
 *
 * Each HTTP request gets a fresh, stateless server (a Lambda holds no session), so a `tools/call`
 * never sees the `initialize` that declared the client's capabilities. The one declaration the
 * server needs later is whether the client takes URL-mode elicitation (MCP 2025-11-25), which
 * decides how an approval is handed over: the URLElicitationRequired error (-32042) or the link
 * in the tool's result. The session id the server hands out at `initialize` says so, and the
 * client sends it back on every request (the transport's own rule). It grants nothing: a client
 * that forges it only chooses how it is given the approval link, which it could have declared
 * anyway. A session id the server did not make is read as declaring nothing.
 */
import { randomBytes } from 'node:crypto';

/** What the server remembers of a client's declared capabilities. */
export interface DeclaredCapabilities {
  urlElicitation: boolean;
}

const PATTERN = /^cs1\.(u|-)\.[A-Za-z0-9_-]{22}$/;

/** A new session id for a client that declared `capabilities` (visible ASCII, as the transport requires). */
export function sessionIdFor(capabilities: DeclaredCapabilities): string {
  return `cs1.${capabilities.urlElicitation ? 'u' : '-'}.${randomBytes(16).toString('base64url')}`;
}

/** What a session id says the client declared; nothing for one the server did not make. */
export function declaredBy(sessionId: string | undefined): DeclaredCapabilities {
  const match = sessionId === undefined ? null : PATTERN.exec(sessionId);
  return { urlElicitation: match?.[1] === 'u' };
}

/** Whether an `initialize` request's client capabilities declare URL-mode elicitation. */
export function declaresUrlElicitation(capabilities: unknown): boolean {
  const elicitation = (capabilities as { elicitation?: { url?: unknown } } | null | undefined)?.elicitation;
  return typeof elicitation === 'object' && elicitation !== null && elicitation.url !== undefined;
}
