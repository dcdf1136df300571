/**
 * The approval page's rules (web/chat/approval.js): which approval the address names, what the
 * customer may do with an approval as the API shows it, and the fresh sign-in adding a passkey needs.
 */
import { FRESH_SIGN_IN_SECONDS } from '../../../services/mcp/src/domain/passkeys';
import * as page from '../../../web/chat/approval.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'ES256', typ: 'JWT', kid: 'k' })}.${b64url(claims)}.c2ln`;
const ID = 'ap_AAAAAAAAAAAAAAAAAAAAAA';
const NOW = Date.parse('2026-11-26T16:00:00.000Z');

describe('the approval page’s fresh sign-in', () => {
  it('is as recent as the server’s (services/mcp/src/domain/passkeys.ts), which the page cannot import', () => {
    expect(page.FRESH_SIGN_IN_SECONDS).toBe(FRESH_SIGN_IN_SECONDS);
  });
});

describe('approvalIdOf', () => {
  it.each<[string, string | undefined]>([
    [`?id=${ID}`, ID],
    [`?code=abc&id=${ID}`, ID],
    ['?id=ap_short', undefined],
    ['?id=<script>', undefined],
    ['', undefined],
  ])('reads %s as %s', (search, id) => {
    expect(page.approvalIdOf(search)).toBe(id);
  });
});

describe('screenOf', () => {
  const later = new Date(NOW + 60_000).toISOString();
  it.each<[string, Record<string, unknown>, ReturnType<typeof page.screenOf>]>([
    ['a pending approval', { status: 'pending', expires_at: later }, { state: 'pending', decidable: true, stepUp: false }],
    ['a pending approval above the MTU', { status: 'pending', expires_at: later, step_up_required: true }, { state: 'pending', decidable: true, stepUp: true }],
    ['a pending approval whose time ran out', { status: 'pending', expires_at: new Date(NOW).toISOString(), step_up_required: true }, { state: 'expired', decidable: false, stepUp: false }],
    ['an approved one', { status: 'approved', expires_at: later }, { state: 'approved', decidable: false, stepUp: false }],
    ['a declined one', { status: 'declined', expires_at: later }, { state: 'declined', decidable: false, stepUp: false }],
    ['a used one', { status: 'used', expires_at: later }, { state: 'used', decidable: false, stepUp: false }],
    ['a status it does not know', { status: 'surprise', expires_at: later }, { state: 'expired', decidable: false, stepUp: false }],
  ])('lets the customer decide only %s that is still pending', (_case, view, expected) => {
    expect(page.screenOf(view as Parameters<typeof page.screenOf>[0], NOW)).toEqual(expected);
  });
});

describe('beginFreshSignIn', () => {
  it('asks the provider to sign the customer in again now, PKCE and all', async () => {
    // Prepare
    const auth = { authorizeUrl: 'http://localhost:4010/oauth2/authorize', clientId: 'centli', redirectUri: 'http://localhost:4010/chat/approve.html' };

    // Act
    const { url, pending } = await page.beginFreshSignIn(auth, { userId: 'user-ana' }, { now: NOW });

    // Assess
    const params = new URL(url).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: 'centli',
      redirect_uri: auth.redirectUri,
      prompt: 'login',
      max_age: '0',
      login_hint: 'user-ana',
      code_challenge_method: 'S256',
    });
    expect(pending).toMatchObject({ redirect_uri: auth.redirectUri, state: params.get('state'), nonce: params.get('nonce') });
  });
});

describe('isFreshSignIn', () => {
  it.each<[string, string | undefined, boolean]>([
    ['a sign-in a minute ago', jwt({ auth_time: NOW / 1000 - 60 }), true],
    ['a sign-in exactly as old as allowed', jwt({ auth_time: NOW / 1000 - FRESH_SIGN_IN_SECONDS }), true],
    ['a sign-in one second too old', jwt({ auth_time: NOW / 1000 - FRESH_SIGN_IN_SECONDS - 1 }), false],
    ['a token that does not say when', jwt({ sub: 'user-ana' }), false],
    ['a sign-in in the future', jwt({ auth_time: NOW / 1000 + 60 }), false],
    ['no token', undefined, false],
    ['something that is not a token', 'nope', false],
  ])('says %s is %s', (_case, token, fresh) => {
    expect(page.isFreshSignIn(token, NOW)).toBe(fresh);
  });
});
