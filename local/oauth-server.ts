/**
 * The local issuer (./identity.ts) as the authorization server an MCP client discovers from
 * nothing but the MCP URL (MCP authorization, 2025-06-18 and 2025-11-25):
 * - `GET /.well-known/oauth-authorization-server` (RFC 8414) and the same document at
 *   `/.well-known/openid-configuration` (OpenID Connect discovery): its endpoints, PKCE with S256,
 *   public clients, Centli's scopes (@centli/pure/oauth);
 * - `POST /register` (RFC 7591): registers a public client (no secret, PKCE) with https or
 *   loopback redirect URIs, kept in memory while the stack runs, as the deployed authorization
 *   front keeps them in DynamoDB (docs/decisions.md, "MCP authorization").
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { authorizationServerMetadata, isRegistrationError, registrationOf, type ClientRegistration } from '@centli/pure/oauth';
import { AUTHORIZE_PATH, JWKS_PATH, TOKEN_PATH, type LocalOAuthClient } from './identity';
import { readBody, sendJson, type LocalHttpServer } from './http';

export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const REGISTER_PATH = '/register';
/** At most this many registrations while the stack runs: each test and each client registers once. */
const MAX_CLIENTS = 1000;

/** The clients registered dynamically, and what the issuer needs to know of them. */
export interface LocalClientRegistry {
  /** A registered client, as ./identity.ts's OAuth endpoints look one up. */
  clientOf(clientId: string): LocalOAuthClient | undefined;
}

/** Serves the metadata and the registration endpoint on `server`, whose URL is the issuer. */
export function mountOAuthServer(server: LocalHttpServer): LocalClientRegistry {
  const clients = new Map<string, ClientRegistration & { client_id: string }>();
  const metadata = () => authorizationServerMetadata({ issuer: server.url, authorize: AUTHORIZE_PATH, token: TOKEN_PATH, register: REGISTER_PATH, jwks: JWKS_PATH });
  server.route(async (request, response, url) => {
    if (request.method === 'GET' && (url.pathname === AUTHORIZATION_SERVER_METADATA_PATH || url.pathname === OPENID_CONFIGURATION_PATH)) {
      sendJson(response, 200, metadata(), { 'cache-control': 'max-age=300' });
      return true;
    }
    if (request.method !== 'POST' || url.pathname !== REGISTER_PATH) return false;
    const headers = { 'cache-control': 'no-store' };
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request, 16 * 1024)).toString('utf8'));
    } catch {
      body = undefined;
    }
    const registration = registrationOf(body);
    if (isRegistrationError(registration)) {
      sendJson(response, 400, registration, headers);
      return true;
    }
    if (clients.size >= MAX_CLIENTS) {
      sendJson(response, 400, { error: 'invalid_client_metadata', error_description: `this stack registers at most ${MAX_CLIENTS} clients; restart it` }, headers);
      return true;
    }
    const client = { client_id: `mcp-${randomUUID()}`, ...registration };
    clients.set(client.client_id, client);
    sendJson(response, 201, { ...client, client_id_issued_at: Math.floor(Date.now() / 1000) }, headers);
    return true;
  });
  return {
    clientOf: (clientId) => {
      const client = clients.get(clientId);
      return client ? { clientId, redirectUris: () => client.redirect_uris } : undefined;
    },
  };
}
