/**
 * The passkeys table's own rules, against DynamoDB Local (services/mcp/src/adapters/passkey-store.ts):
 * a challenge is taken once, whoever races for it, only by the customer it was handed to and for
 * what it was handed out, before it expires; a counter moves only from the value a check saw.
 */
import { randomBytes } from 'node:crypto';
import { PasskeyStore } from '../../../services/mcp/src/adapters/passkey-store';
import { closeClients, documents, runId, table } from '../support';

const NOW = new Date();
const LATER = new Date(NOW.getTime() + 120_000);
let store: PasskeyStore;

beforeAll(() => {
  store = new PasskeyStore(table('passkeys'), documents());
});

afterAll(() => closeClients());

const challenge = () => randomBytes(32).toString('base64url');

describe('a challenge in the passkeys table', () => {
  it('is taken by exactly one of ten racing answers', async () => {
    // Prepare
    const user = `user-race-${runId()}`;
    const value = challenge();
    await store.handOut(user, value, { kind: 'approval', approvalId: 'ap_AAAAAAAAAAAAAAAAAAAAAA' }, LATER);

    // Act
    const taken = await Promise.all(Array.from({ length: 10 }, () => store.take(user, value, { kind: 'approval', approvalId: 'ap_AAAAAAAAAAAAAAAAAAAAAA' }, NOW)));

    // Assess
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it('is not taken by another customer, for another approval, for a registration, or once expired; and stays good for its own', async () => {
    // Prepare
    const user = `user-bound-${runId()}`;
    const value = challenge();
    const purpose = { kind: 'approval', approvalId: 'ap_AAAAAAAAAAAAAAAAAAAAAA' } as const;
    await store.handOut(user, value, purpose, LATER);

    // Act
    const refused = [
      await store.take(`user-other-${runId()}`, value, purpose, NOW),
      await store.take(user, value, { kind: 'approval', approvalId: 'ap_BBBBBBBBBBBBBBBBBBBBBB' }, NOW),
      await store.take(user, value, { kind: 'registration' }, NOW),
      await store.take(user, value, purpose, LATER),
      await store.take(user, challenge(), purpose, NOW),
    ];
    const own = await store.take(user, value, purpose, NOW);

    // Assess
    expect(refused).toEqual([false, false, false, false, false]);
    expect(own).toBe(true);
  });
});

describe('a passkey in the passkeys table', () => {
  it('is added once, found only in its customer’s partition, and its counter moves only from the value seen', async () => {
    // Prepare
    const user = `user-key-${runId()}`;
    const passkey = { user_id: user, credential_id: challenge(), public_key: new Uint8Array(randomBytes(77)), counter: 3, transports: ['internal'], created_at: NOW.toISOString() };

    // Act
    const added = [await store.add(passkey), await store.add({ ...passkey, counter: 0 })];
    const elsewhere = await store.credential(`user-other-${runId()}`, passkey.credential_id);
    const advanced = await Promise.all([store.advance(passkey, 4, NOW), store.advance(passkey, 5, NOW)]);
    const kept = await store.credential(user, passkey.credential_id);

    // Assess
    expect(added).toEqual([true, false]);
    expect(elsewhere).toBeUndefined();
    expect(advanced.filter(Boolean)).toHaveLength(1);
    expect([4, 5]).toContain(kept?.counter);
    expect(Buffer.from(kept?.public_key as Uint8Array).equals(Buffer.from(passkey.public_key))).toBe(true);
    expect(await store.credentials(user)).toHaveLength(1);
  });
});
