import type { Context } from 'aws-lambda';
import { authenticate, UnauthenticatedError, type Customer } from '@centli/kit/auth';

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
