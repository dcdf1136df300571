/**
 * The approvals API's passkey ceremonies (services/mcp/src/app/passkeys.ts) with an in-memory
 * passkeys store that keeps the DynamoDB adapter's rules (one customer's partition, a challenge
 * taken once, for its purpose, before it expires; the counter moved only from the value seen), and
 * a software authenticator written from the WebAuthn specification. The same ceremonies against
 * DynamoDB Local and the local stack are tests/integration/mcp/passkeys.test.ts.
 */
import { openApproval } from '@centli/tools/approval';
import type { PasskeyStore, StoredPasskey } from '../../../../../services/mcp/src/adapters/passkey-store';
import { PasskeyCeremonies, type RelyingParty } from '../../../../../services/mcp/src/app/passkeys';
import { CHALLENGE_SECONDS, type ChallengePurpose } from '../../../../../services/mcp/src/domain/passkeys';
import { SoftwareAuthenticator, type CreationOptions, type RequestOptions } from '../../../../integration/mcp/authenticator';
import { FakeApprovalStore, FakeClock } from '../fakes';

const RP: RelyingParty = { rpId: 'localhost', origin: 'http://localhost:4010', name: 'Centli' };
const purposeOf = (purpose: ChallengePurpose) => (purpose.kind === 'registration' ? 'registration' : `approval#${purpose.approvalId}`);

class FakePasskeyStore implements Pick<PasskeyStore, 'credentials' | 'credential' | 'add' | 'advance' | 'handOut' | 'take'> {
  readonly passkeys = new Map<string, StoredPasskey>();
  readonly challenges = new Map<string, { purpose: string; expiresAt: number; used: boolean }>();
  /** Moves a counter behind the ceremony's back, as a second sign-in racing it would. */
  interfere?: (passkey: StoredPasskey) => void;

  async credentials(userId: string) {
    return [...this.passkeys.values()].filter((p) => p.user_id === userId).map((p) => structuredClone(p));
  }
  async credential(userId: string, credentialId: string) {
    const found = this.passkeys.get(`${userId}/${credentialId}`);
    return found && structuredClone(found);
  }
  async add(passkey: StoredPasskey) {
    const key = `${passkey.user_id}/${passkey.credential_id}`;
    if (this.passkeys.has(key)) return false;
    this.passkeys.set(key, structuredClone(passkey));
    return true;
  }
  async advance(passkey: StoredPasskey, counter: number, now: Date) {
    const stored = this.passkeys.get(`${passkey.user_id}/${passkey.credential_id}`);
    if (stored) this.interfere?.(stored);
    if (!stored || stored.counter !== passkey.counter) return false;
    stored.counter = counter;
    stored.last_used_at = now.toISOString();
    return true;
  }
  async handOut(userId: string, challenge: string, purpose: ChallengePurpose, expiresAt: Date) {
    this.challenges.set(`${userId}/${challenge}`, { purpose: purposeOf(purpose), expiresAt: expiresAt.getTime(), used: false });
  }
  async take(userId: string, challenge: string, purpose: ChallengePurpose, now: Date) {
    const found = this.challenges.get(`${userId}/${challenge}`);
    if (!found || found.used || found.purpose !== purposeOf(purpose) || found.expiresAt <= now.getTime()) return false;
    found.used = true;
    return true;
  }
}

async function setup(options: { stepUp?: boolean } = {}) {
  const clock = new FakeClock();
  const approvals = new FakeApprovalStore();
  const passkeys = new FakePasskeyStore();
  const logged: Array<Record<string, unknown>> = [];
  const ceremonies = new PasskeyCeremonies({ passkeys, approvals, rp: RP, log: (_message, attributes) => logged.push(attributes) });
  const { approval, pointer } = openApproval(
    { userId: 'user-ana', tool: 'transfer_funds', args: { amount: 2_000_000 }, request: { detailType: 'TRANSFER_REQUEST', detail: { amount: 2_000_000 } }, summary: '¿Transfiero $20,000.00 MXN?', locale: 'es', stepUp: options.stepUp ?? true },
    clock.now(),
  );
  await approvals.open(approval, pointer);
  const fresh = { userId: 'user-ana', authTime: Math.floor(clock.now().getTime() / 1000) - 10, label: 'ana.garcia@example.com' };
  /** Ana's passkey, registered through the ceremony. */
  const register = async (userId = 'user-ana') => {
    const authenticator = new SoftwareAuthenticator(RP.origin);
    const options = await ceremonies.registrationOptions({ ...fresh, userId }, clock.now());
    const answer = await ceremonies.register({ ...fresh, userId }, { response: authenticator.register(options.body as unknown as CreationOptions) }, clock.now());
    if (answer.status !== 200) throw new Error(`not registered: ${JSON.stringify(answer)}`);
    return authenticator;
  };
  return { clock, approvals, passkeys, ceremonies, logged, id: approval.approval_id, fresh, register };
}

describe('PasskeyCeremonies.registrationOptions and register', () => {
  it('hands a customer who signed in moments ago creation options for this site, with a user handle that is not their user id', async () => {
    // Prepare
    const { ceremonies, fresh, clock, passkeys } = await setup();

    // Act
    const answer = await ceremonies.registrationOptions(fresh, clock.now());

    // Assess
    expect(answer.status).toBe(200);
    const options = answer.body as unknown as { challenge: string; rp: { id: string; name: string }; user: { id: string; name: string }; authenticatorSelection: Record<string, unknown>; timeout: number };
    expect(options).toMatchObject({ rp: { id: 'localhost', name: 'Centli' }, user: { name: 'ana.garcia@example.com' }, authenticatorSelection: { userVerification: 'required' }, timeout: CHALLENGE_SECONDS * 1000 });
    expect(Buffer.from(options.user.id, 'base64url').toString('latin1')).not.toContain('user-ana');
    expect(passkeys.challenges.get(`user-ana/${options.challenge}`)).toEqual({ purpose: 'registration', expiresAt: clock.now().getTime() + CHALLENGE_SECONDS * 1000, used: false });
  });

  it.each<[string, unknown]>([
    ['a sign-in six minutes old', Math.floor(Date.parse('2026-11-26T16:00:00.000Z') / 1000) - 360],
    ['a token that does not say when', undefined],
  ])('refuses %s, handing out nothing', async (_case, authTime) => {
    // Prepare
    const { ceremonies, fresh, clock, passkeys } = await setup();

    // Act
    const answer = await ceremonies.registrationOptions({ ...fresh, authTime }, clock.now());

    // Assess
    expect(answer).toEqual({ status: 401, body: { error: 'fresh_sign_in_required' } });
    expect(passkeys.challenges.size).toBe(0);
  });

  it('refuses to keep a passkey once the sign-in went stale between the options and the answer', async () => {
    // Prepare
    const { ceremonies, fresh, clock, passkeys } = await setup();
    const options = await ceremonies.registrationOptions(fresh, clock.now());
    clock.advance(300_000);

    // Act
    const answer = await ceremonies.register(fresh, { response: new SoftwareAuthenticator(RP.origin).register(options.body as unknown as CreationOptions) }, clock.now());

    // Assess
    expect(answer).toEqual({ status: 401, body: { error: 'fresh_sign_in_required' } });
    expect(passkeys.passkeys.size).toBe(0);
  });

  it('keeps a new passkey once, with its key, counter and transports, and lists it as excluded next time', async () => {
    // Prepare
    const { ceremonies, fresh, clock, passkeys, register } = await setup();

    // Act
    const authenticator = await register();
    const again = await ceremonies.registrationOptions(fresh, clock.now());

    // Assess
    expect(passkeys.passkeys.get(`user-ana/${authenticator.credentialId}`)).toMatchObject({ user_id: 'user-ana', credential_id: authenticator.credentialId, counter: 1, transports: ['internal'], created_at: clock.now().toISOString() });
    expect((again.body as unknown as { excludeCredentials: Array<{ id: string }> }).excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.credentialId })]);
  });

  it('refuses an answer made on another origin, and the challenge is spent', async () => {
    // Prepare
    const { ceremonies, fresh, clock, passkeys, logged } = await setup();
    const options = await ceremonies.registrationOptions(fresh, clock.now());
    const authenticator = new SoftwareAuthenticator(RP.origin);

    // Act
    const elsewhere = await ceremonies.register(fresh, { response: authenticator.register(options.body as unknown as CreationOptions, { origin: 'https://centli-login.example' }) }, clock.now());
    const again = await ceremonies.register(fresh, { response: authenticator.register(options.body as unknown as CreationOptions) }, clock.now());

    // Assess
    expect(elsewhere).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(again).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(logged.map((line) => line.reason)).toEqual([expect.stringContaining('origin'), expect.stringContaining('used or expired')]);
    expect(passkeys.passkeys.size).toBe(0);
  });
});

describe('PasskeyCeremonies.stepUpOptions', () => {
  it('hands out a challenge for this approval and customer, for two minutes, naming only the customer’s passkeys', async () => {
    // Prepare
    const { ceremonies, clock, passkeys, id, register } = await setup();
    const ana = await register();
    const luis = await register('user-luis');

    // Act
    const answer = await ceremonies.stepUpOptions('user-ana', id, clock.now());

    // Assess
    const options = answer.body as unknown as RequestOptions & { userVerification: string };
    expect(answer.status).toBe(200);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [{ id: ana.credentialId, type: 'public-key', transports: ['internal'] }] });
    expect(options.allowCredentials).not.toContainEqual(expect.objectContaining({ id: luis.credentialId }));
    expect(passkeys.challenges.get(`user-ana/${options.challenge}`)).toEqual({ purpose: `approval#${id}`, expiresAt: clock.now().getTime() + CHALLENGE_SECONDS * 1000, used: false });
  });

  it('tells a customer with no passkey that they have none', async () => {
    // Prepare
    const { ceremonies, clock, id, passkeys } = await setup();

    // Act
    const answer = await ceremonies.stepUpOptions('user-ana', id, clock.now());

    // Assess
    expect(answer).toMatchObject({ status: 409, body: { error: 'no_passkey', view: { status: 'pending', step_up_required: true } } });
    expect(passkeys.challenges.size).toBe(0);
  });

  it('answers another customer’s approval, or no approval at all, as one that does not exist', async () => {
    // Prepare
    const { ceremonies, clock, id, register } = await setup();
    await register('user-luis');

    // Act
    const answers = await Promise.all([ceremonies.stepUpOptions('user-luis', id, clock.now()), ceremonies.stepUpOptions('user-ana', 'ap_nope', clock.now())]);

    // Assess
    expect(answers).toEqual([
      { status: 404, body: { error: 'not_found' } },
      { status: 404, body: { error: 'not_found' } },
    ]);
  });

  it('hands out nothing for an approval decided, expired or needing no second factor', async () => {
    // Prepare
    const decided = await setup();
    await decided.register();
    await decided.approvals.decide(decided.id, 'user-ana', 'declined', 'page', decided.clock.now());
    const expired = await setup();
    await expired.register();
    expired.clock.advance(300_001);
    const within = await setup({ stepUp: false });
    await within.register();

    // Act
    const answers = await Promise.all([decided, expired, within].map((s) => s.ceremonies.stepUpOptions('user-ana', s.id, s.clock.now())));

    // Assess
    expect(answers).toEqual([
      { status: 409, body: { error: 'decided', view: expect.objectContaining({ status: 'declined' }) } },
      { status: 410, body: { error: 'expired', view: expect.objectContaining({ status: 'expired' }) } },
      { status: 400, body: { error: 'invalid_request' } },
    ]);
  });
});

describe('PasskeyCeremonies.verifyStepUp', () => {
  it('verifies the customer’s passkey over this approval’s challenge once, and moves its counter', async () => {
    // Prepare
    const { ceremonies, clock, passkeys, id, register } = await setup();
    const ana = await register();
    const assertion = ana.assert((await ceremonies.stepUpOptions('user-ana', id, clock.now())).body as unknown as RequestOptions);

    // Act
    const first = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());
    const again = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect(passkeys.passkeys.get(`user-ana/${ana.credentialId}`)).toMatchObject({ counter: 2, last_used_at: clock.now().toISOString() });
  });

  it('refuses an answer after the challenge’s two minutes', async () => {
    // Prepare
    const { ceremonies, clock, id, register } = await setup();
    const ana = await register();
    const assertion = ana.assert((await ceremonies.stepUpOptions('user-ana', id, clock.now())).body as unknown as RequestOptions);
    clock.advance(CHALLENGE_SECONDS * 1000);

    // Act
    const verified = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());

    // Assess
    expect(verified).toBe(false);
  });

  it('refuses when another sign-in moved the counter meanwhile, and says why in the logs', async () => {
    // Prepare
    const { ceremonies, clock, passkeys, logged, id, register } = await setup();
    const ana = await register();
    const assertion = ana.assert((await ceremonies.stepUpOptions('user-ana', id, clock.now())).body as unknown as RequestOptions);
    passkeys.interfere = (stored) => {
      stored.counter += 1;
    };

    // Act
    const verified = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());

    // Assess
    expect(verified).toBe(false);
    expect(logged).toContainEqual({ reason: 'the signature counter moved meanwhile', approval_id: id });
  });

  it('refuses an authenticator whose counter went back: a cloned passkey', async () => {
    // Prepare
    const { ceremonies, clock, passkeys, logged, id, register } = await setup();
    const ana = await register();
    (passkeys.passkeys.get(`user-ana/${ana.credentialId}`) as StoredPasskey).counter = 50;
    const assertion = ana.assert((await ceremonies.stepUpOptions('user-ana', id, clock.now())).body as unknown as RequestOptions);

    // Act
    const verified = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());

    // Assess
    expect(verified).toBe(false);
    expect(logged).toContainEqual({ reason: expect.stringContaining('counter'), approval_id: id });
    expect(passkeys.passkeys.get(`user-ana/${ana.credentialId}`)?.counter).toBe(50);
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['a string', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln'],
    ['an object with no WebAuthn response', { id: 'AAAAAAAAAAAAAAAAAAAAAA' }],
  ])('refuses %s as an assertion', async (_case, assertion) => {
    // Prepare
    const { ceremonies, clock, id, register } = await setup();
    await register();

    // Act
    const verified = await ceremonies.verifyStepUp('user-ana', id, assertion, clock.now());

    // Assess
    expect(verified).toBe(false);
  });
});
