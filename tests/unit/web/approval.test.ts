/**
 * The approval page's rules (web/chat/approval.js): which approval the address names, what the
 * customer may do with an approval as the API shows it, and the step-up request and token.
 */
import { STEP_UP_ACR, STEP_UP_MAX_AGE_SECONDS, stepUpNonce } from '@centli/pure/step-up';
import * as page from '../../../web/chat/approval.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'ES256', typ: 'JWT', kid: 'k' })}.${b64url(claims)}.c2ln`;
const ID = 'ap_AAAAAAAAAAAAAAAAAAAAAA';
const NOW = Date.parse('2026-11-26T16:00:00.000Z');

describe('the approval page’s step-up words', () => {
  it('are the server’s (lib/pure/step-up.ts), which the page cannot import', () => {
    expect(page.STEP_UP_ACR).toBe(STEP_UP_ACR);
    expect(page.STEP_UP_MAX_AGE_SECONDS).toBe(STEP_UP_MAX_AGE_SECONDS);
    expect(page.stepUpNonce(ID)).toBe(stepUpNonce(ID));
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

describe('beginStepUp', () => {
  it('asks the provider for a passkey sign-in now, for this approval, as the customer signed in', async () => {
    // Prepare
    const auth = { authorizeUrl: 'http://localhost:4010/oauth2/authorize', clientId: 'centli', redirectUri: 'http://localhost:4010/chat/approve.html' };

    // Act
    const { url, pending } = await page.beginStepUp(auth, ID, { idToken: 'the-id-token', userId: 'user-ana' }, { now: NOW });

    // Assess
    const params = new URL(url).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: 'centli',
      redirect_uri: auth.redirectUri,
      nonce: `step-up.${ID}`,
      acr_values: STEP_UP_ACR,
      max_age: '0',
      prompt: 'login',
      id_token_hint: 'the-id-token',
      login_hint: 'user-ana',
      code_challenge_method: 'S256',
    });
    expect(pending).toMatchObject({ nonce: `step-up.${ID}`, redirect_uri: auth.redirectUri, state: params.get('state') });
  });
});

describe('readStepUp', () => {
  const token = (claims: Record<string, unknown>) => JSON.stringify({ approval_id: ID, id_token: jwt({ nonce: `step-up.${ID}`, auth_time: NOW / 1000 - 30, ...claims }) });

  it('gives the step-up token of this approval while it is recent', () => {
    expect(page.readStepUp(token({}), ID, NOW)).toMatch(/^eyJ/);
  });

  it.each<[string, string | null]>([
    ['nothing stored', null],
    ['something that is not JSON', 'nope'],
    ['another approval’s', JSON.stringify({ approval_id: 'ap_BBBBBBBBBBBBBBBBBBBBBB', id_token: jwt({ nonce: `step-up.${ID}`, auth_time: NOW / 1000 }) })],
    ['a token for another approval’s nonce', token({ nonce: 'step-up.ap_BBBBBBBBBBBBBBBBBBBBBB' })],
    ['a sign-in too long ago', token({ auth_time: NOW / 1000 - STEP_UP_MAX_AGE_SECONDS - 1 })],
  ])('gives nothing for %s', (_case, text) => {
    expect(page.readStepUp(text, ID, NOW)).toBeUndefined();
  });
});
