/**
 * The MCP endpoint as an OAuth 2.1 resource server (MCP 2025-06-18 and 2025-11-25,
 * "Authorization"):
 * - it names itself and its authorization server in its protected resource metadata (RFC 9728),
 *   and points every challenge at that document (`resource_metadata`);
 * - it takes only tokens bound to it (RFC 8707: `aud`, or a `resource` claim, is its URL);
 * - a tool needs a scope: a read-only one (`annotations.readOnlyHint`) needs `centli/read`, any
 *   other (moving money, changing payees and cards) `centli/read` and `centli/operate`; every
 *   other message needs `centli/read`. A token without them is answered 403 `insufficient_scope`
 *   naming the scopes, which a client re-authorizes with (the specification's step-up flow).
 * The JSON-RPC message is read here, before the SDK serves it, because the SDK answers a tool
 * call inside a 200. Pure.
 */
import { API_SCOPES, isBoundTo, SCOPES, scopesOf } from '@centli/pure/oauth';
import { isToolName, toolSpec, type ToolSpec } from '@centli/tools/registry';

/** The path of the protected resource metadata, before the resource's own path (RFC 9728 section 3.1). */
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The scopes a call of the tool needs. */
export function scopesFor(spec: Pick<ToolSpec, 'read_only'>): string[] {
  return spec.read_only ? [SCOPES.read] : [SCOPES.read, SCOPES.operate];
}

/**
 * The scopes one JSON-RPC message needs: a `tools/call` those of its tool, anything else (and a
 * call of a tool that does not exist, which the server answers itself) `centli/read`.
 */
export function scopesNeeded(body: Buffer | string | undefined): string[] {
  let message: unknown;
  try {
    message = JSON.parse(typeof body === 'string' ? body : (body?.toString('utf8') ?? ''));
  } catch {
    return [SCOPES.read];
  }
  const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } | null };
  const name = params?.name;
  if (method !== 'tools/call' || typeof name !== 'string' || !isToolName(name)) return [SCOPES.read];
  return scopesFor(toolSpec(name));
}

/** The MCP endpoint's URL, which tokens must be bound to: the one configured, or else `/mcp` on the host the request came to (`sls invoke local`). */
export function mcpResourceOf(configured: string | undefined, domainName: string): string {
  return configured || `https://${domainName}/mcp`;
}

/** Where the metadata of `resource` is (RFC 9728 section 3.1): the well-known path inserted before the resource's path. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${RESOURCE_METADATA_PATH}${path}`;
}

/** The protected resource metadata (RFC 9728 section 2) of the MCP endpoint. */
export function protectedResourceMetadata(resource: string, authorizationServers: readonly string[]): Record<string, unknown> {
  return {
    resource,
    authorization_servers: [...authorizationServers],
    scopes_supported: [...API_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Centli',
  };
}

/** A request the endpoint refuses before serving it: 401 (no valid token for it) or 403 (not the scope it needs). */
export interface AuthorizationRefusal {
  status: 401 | 403;
  /** The `WWW-Authenticate` header (RFC 6750 section 3, with RFC 9728's `resource_metadata`). */
  challenge: string;
  /** For the logs. */
  reason: 'no valid token' | 'not bound to this resource' | 'insufficient scope';
  /** The scopes the request needs. */
  scopes: string[];
}

/**
 * Whether a request may be served: `claims` are the verified token's (undefined when it has none
 * or it is not valid), `body` the JSON-RPC message, `resource` this endpoint's URL.
 */
export function authorizationOf(claims: Readonly<Record<string, unknown>> | undefined, body: Buffer | string | undefined, resource: string): AuthorizationRefusal | undefined {
  const scopes = scopesNeeded(body);
  const challenge = (error: string) => `Bearer realm="centli", error="${error}", scope="${scopes.join(' ')}", resource_metadata="${resourceMetadataUrl(resource)}"`;
  if (!claims) return { status: 401, challenge: challenge('invalid_token'), reason: 'no valid token', scopes };
  if (!isBoundTo(claims, resource)) return { status: 401, challenge: challenge('invalid_token'), reason: 'not bound to this resource', scopes };
  const granted = scopesOf(claims);
  if (!scopes.every((scope) => granted.has(scope))) return { status: 403, challenge: challenge('insufficient_scope'), reason: 'insufficient scope', scopes };
  return undefined;
}
