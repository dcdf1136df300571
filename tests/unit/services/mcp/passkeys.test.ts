import { challengeOf, credentialIdOf, FRESH_SIGN_IN_SECONDS, staleSignInProblem } from '../../../../services/mcp/src/domain/passkeys';

const NOW = new Date('2026-11-26T16:00:00Z');
const at = NOW.getTime() / 1000;

describe('staleSignInProblem', () => {
  it.each<[string, number]>([
    ['a sign-in this second', at],
    ['a sign-in exactly as old as allowed', at - FRESH_SIGN_IN_SECONDS],
    ['a sign-in a clock slightly ahead stamped', at + 5],
  ])('lets %s add a passkey', (_case, authTime) => {
    expect(staleSignInProblem(authTime, NOW)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a sign-in one second too old', at - FRESH_SIGN_IN_SECONDS - 1, 'the sign-in is too old to add a passkey'],
    ['a session of yesterday', at - 86_400, 'the sign-in is too old to add a passkey'],
    ['a token that does not say when', undefined, 'the token does not say when the customer signed in'],
    ['a time that is not a whole number', at - 0.5, 'the token does not say when the customer signed in'],
    ['a time written as text', String(at), 'the token does not say when the customer signed in'],
    ['a sign-in in the future', at + 60, 'the sign-in is in the future'],
  ])('refuses %s', (_case, authTime, problem) => {
    expect(staleSignInProblem(authTime, NOW)).toBe(problem);
  });
});

describe('challengeOf', () => {
  const clientData = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads the challenge the browser wrote into clientDataJSON', () => {
    expect(challengeOf({ response: { clientDataJSON: clientData({ type: 'webauthn.get', challenge: 'AAAAAAAAAAAAAAAAAAAAAA', origin: 'http://localhost:3000' }) } })).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it.each<[string, unknown]>([
    ['no response', undefined],
    ['no clientDataJSON', { response: {} }],
    ['clientDataJSON that is not JSON', { response: { clientDataJSON: Buffer.from('not json').toString('base64url') } }],
    ['a challenge that is not base64url', { response: { clientDataJSON: clientData({ challenge: 'a b c d e f g h i j k l m n' }) } }],
    ['a challenge too short to be one handed out', { response: { clientDataJSON: clientData({ challenge: 'abc' }) } }],
    ['a challenge that is not text', { response: { clientDataJSON: clientData({ challenge: 42 }) } }],
  ])('finds none in %s', (_case, response) => {
    expect(challengeOf(response)).toBeUndefined();
  });
});

describe('credentialIdOf', () => {
  it('reads a base64url credential id, and nothing else', () => {
    expect(credentialIdOf({ id: 'AbCdEfGhIjKlMnOpQrStUv' })).toBe('AbCdEfGhIjKlMnOpQrStUv');
    expect(credentialIdOf({ id: 'credential#of/another' })).toBeUndefined();
    expect(credentialIdOf({})).toBeUndefined();
    expect(credentialIdOf(null)).toBeUndefined();
  });
});
