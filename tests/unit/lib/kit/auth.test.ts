import type { Context } from 'aws-lambda';
import { authenticate, stepUpProblem, UnauthenticatedError, type Customer } from '@centli/kit/auth';
import { STEP_UP_ACR, STEP_UP_MAX_AGE_SECONDS } from '@centli/pure/step-up';

const ANA: Customer = { userId: 'user-ana', locale: 'en', expiresAt: undefined, claims: { sub: 'user-ana', locale: 'EN-US' } };

function door(verify: (token: string | undefined) => Promise<Customer>) {
  const warnings: Array<[string, Record<string, unknown>]> = [];
  return { warnings, door: { verifier: { customer: verify }, logger: { warn: (message: string, attributes: Record<string, unknown>) => warnings.push([message, attributes]) } } };
}

describe('authenticate', () => {
  it('answers the customer the token names, with their language', async () => {
    // Prepare
    const { door: d, warnings } = door(async () => ANA);

    // Act
    const customer = await authenticate('token', d);

    // Assess
    expect(customer).toEqual(ANA);
    expect(warnings).toEqual([]);
  });

  it('returns a refusal for the door to answer in its shape, logged with its reason and never the token', async () => {
    // Prepare
    const { door: d, warnings } = door(async () => Promise.reject(new UnauthenticatedError(true, { cause: new Error('"exp" claim timestamp check failed') })));

    // Act
    const refused = await authenticate('eyJhbGciOiJSUzI1NiJ9.secret.sig', { ...d, context: {} as Context });

    // Assess
    expect(refused).toBeInstanceOf(UnauthenticatedError);
    expect((refused as UnauthenticatedError).params).toEqual({ expired: true });
    expect(warnings).toEqual([['refused a caller without a valid customer token', { reason: '"exp" claim timestamp check failed' }]]);
    expect(JSON.stringify(warnings)).not.toContain('secret');
  });

  it('lets anything but a refusal through: a door never acts for a customer it could not check', async () => {
    const { door: d } = door(async () => Promise.reject(new Error('JWKS endpoint unreachable')));
    await expect(authenticate('token', d)).rejects.toThrow('JWKS endpoint unreachable');
  });
});

describe('stepUpProblem', () => {
  const NOW = new Date('2026-11-26T16:00:00.000Z');
  const at = NOW.getTime() / 1000;
  const EXPECTED = { userId: 'user-ana', nonce: 'step-up.ap_x', userClaim: 'sub' };
  const PASSKEY = { token_use: 'id', sub: 'user-ana', nonce: 'step-up.ap_x', acr: STEP_UP_ACR, amr: ['hwk', 'user'], auth_time: at - 30 };

  it.each<[string, Record<string, unknown>]>([
    ['an acr that names the passkey', { acr: STEP_UP_ACR, amr: undefined }],
    ['an amr that names WebAuthn', { acr: undefined, amr: ['webauthn'] }],
    ['a passkey sign-in exactly as old as allowed', { auth_time: at - STEP_UP_MAX_AGE_SECONDS }],
  ])('accepts a passkey sign-in of this customer for this approval with %s', (_case, claims) => {
    expect(stepUpProblem({ ...PASSKEY, ...claims }, EXPECTED, NOW)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an access token', { token_use: 'access' }, 'not an ID token'],
    ['another customer’s sign-in', { sub: 'user-luis' }, 'another customer'],
    ['a sign-in for another approval', { nonce: 'step-up.ap_y' }, 'not this approval'],
    ['a sign-in without a nonce', { nonce: undefined }, 'not this approval'],
    ['a password sign-in', { acr: undefined, amr: ['pwd'] }, 'not a passkey sign-in'],
    ['a sign-in with no auth_time', { auth_time: undefined }, 'no auth_time'],
    ['a passkey sign-in too long ago', { auth_time: at - STEP_UP_MAX_AGE_SECONDS - 1 }, 'the passkey sign-in is too old'],
    ['a sign-in in the future', { auth_time: at + 60 }, 'auth_time in the future'],
  ])('refuses %s', (_case, claims, problem) => {
    expect(stepUpProblem({ ...PASSKEY, ...claims }, EXPECTED, NOW)).toBe(problem);
  });
});
