/**
 * Cognito's token endpoint (`<user pool domain>/oauth2/token`), which the authorization front
 * forwards a client's token request to (../domain/oauth-front.ts). Its answer is passed back as
 * it came: status and JSON body.
 */

export interface UpstreamAnswer {
  status: number;
  body: unknown;
}

/** Posts `form` to `tokenUrl`, form-encoded, within `timeoutMs`. */
export async function postTokenRequest(tokenUrl: string, form: URLSearchParams, timeoutMs = 8000): Promise<UpstreamAnswer> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page): the client is told the server failed, never shown the page.
    return { status: 502, body: { error: 'server_error', error_description: `the user pool answered ${response.status} without JSON` } };
  }
  return { status: response.status, body };
}
