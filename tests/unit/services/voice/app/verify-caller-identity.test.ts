import { authenticateCaller } from '../../../../../services/voice/src/app/authenticate-caller';
import { verifyCallerIdentity } from '../../../../../services/voice/src/app/verify-caller-identity';
import { CALLER_IDENTITY_TTL_SECONDS, callerIdentity, callerIdentityMessage, callerToken, readCallerToken } from '../../../../../services/voice/src/domain/caller-identity';
import { fakeMac, NOW } from '../fakes';

const CONTACT = 'c0ffee00-0000-4000-8000-000000000001';
const mac = fakeMac();
const deps = { mac, now: () => NOW };

async function tokenFor(userId = 'user-ana', contactId = CONTACT, now = NOW) {
  const identity = callerIdentity(userId, contactId, 'es', now);
  return callerToken(identity, await mac.sign(callerIdentityMessage(identity)));
}

/** A token whose payload says something else, keeping the original MAC. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [payload, signature] = token.split('.') as [string, string];
  const text = Buffer.from(payload, 'base64url').toString('utf8');
  const [prefix, json] = [text.slice(0, text.indexOf('\n') + 1), text.slice(text.indexOf('\n') + 1)];
  return `${Buffer.from(prefix + JSON.stringify(change(JSON.parse(json) as Record<string, unknown>))).toString('base64url')}.${signature}`;
}

describe('callerIdentityMessage', () => {
  it('is the versioned, canonical JSON of the four fields the MAC covers, never a gateway identity’s bytes', () => {
    // Act
    const message = callerIdentityMessage({ user_id: 'user-ana', contact_id: CONTACT, locale: 'es', expires_at: 1765000000 });

    // Assess
    expect(message.toString('utf8')).toBe(`centli-caller-identity/v1\n{"contact_id":"${CONTACT}","expires_at":1765000000,"locale":"es","user_id":"user-ana"}`);
  });
});

describe('verifyCallerIdentity', () => {
  it('names the customer a token from authenticate-caller vouches for, on its contact', async () => {
    // Prepare
    const token = await tokenFor();

    // Act & Assess
    expect(await verifyCallerIdentity(token, CONTACT, deps)).toEqual({ user_id: 'user-ana', locale: 'es' });
    expect(readCallerToken(token)).toMatchObject({ identity: { user_id: 'user-ana', contact_id: CONTACT, expires_at: Math.floor(NOW.getTime() / 1000) + CALLER_IDENTITY_TTL_SECONDS } });
  });

  it('refuses a token whose customer was changed', async () => {
    // Prepare
    const tampered = withPayload(await tokenFor(), (claims) => ({ ...claims, user_id: 'user-luis' }));

    // Act & Assess
    expect(readCallerToken(tampered)).toMatchObject({ identity: { user_id: 'user-luis' } });
    expect(await verifyCallerIdentity(tampered, CONTACT, deps)).toBeUndefined();
  });

  it('refuses a token whose expiry was pushed back', async () => {
    // Prepare
    const tampered = withPayload(await tokenFor(), (claims) => ({ ...claims, expires_at: Number(claims.expires_at) + 86_400 }));

    // Act & Assess
    expect(await verifyCallerIdentity(tampered, CONTACT, deps)).toBeUndefined();
  });

  it('refuses an expired token', async () => {
    // Prepare
    const token = await tokenFor();
    const later = new Date(NOW.getTime() + CALLER_IDENTITY_TTL_SECONDS * 1000);

    // Act & Assess
    expect(await verifyCallerIdentity(token, CONTACT, { mac, now: () => later })).toBeUndefined();
  });

  it('refuses a token made on another contact', async () => {
    // Prepare
    const token = await tokenFor('user-ana', 'another-contact');

    // Act & Assess
    expect(await verifyCallerIdentity(token, CONTACT, deps)).toBeUndefined();
  });

  it('refuses a token signed with another key', async () => {
    // Prepare
    const identity = callerIdentity('user-ana', CONTACT, 'es', NOW);
    const forged = callerToken(identity, await fakeMac('another-secret').sign(callerIdentityMessage(identity)));

    // Act & Assess
    expect(await verifyCallerIdentity(forged, CONTACT, deps)).toBeUndefined();
  });

  it.each([[undefined], [''], ['user-ana'], ['a.b.c'], [`${Buffer.from('centli-gateway-identity/v1\n{}').toString('base64url')}.bWFj`], [`${Buffer.from('centli-caller-identity/v1\n{nope').toString('base64url')}.bWFj`]])(
    'refuses what is no token: %s',
    async (token) => {
      // Act & Assess
      expect(await verifyCallerIdentity(token, CONTACT, deps)).toBeUndefined();
    },
  );

  it('accepts the token authenticate-caller answers', async () => {
    // Prepare
    const { MemoryCallerStore, fastHash } = await import('../fakes');
    const store = new MemoryCallerStore();
    store.callers.set('+525512345678', { phone: '+525512345678', user_id: 'user-ana', pin_hash: await fastHash('2468'), failures: 0 });
    const event = { Name: 'ContactFlowEvent', Details: { ContactData: { ContactId: CONTACT, CustomerEndpoint: { Address: '+525512345678', Type: 'TELEPHONE_NUMBER' } }, Parameters: { pin: '2468' } } };

    // Act
    const answer = await authenticateCaller(event, { store, mac, now: () => NOW });

    // Assess
    expect(await verifyCallerIdentity(answer.customer_token, CONTACT, deps)).toEqual({ user_id: 'user-ana', locale: 'es' });
  });
});
