/**
 * The local issuer's passkeys (local/passkeys.ts): what it refuses before any signature is
 * checked. The ceremonies themselves run in Chromium with a virtual authenticator
 * (tests/e2e/approval-page.test.ts).
 */
import { LocalPasskeys, PasskeyError, CHALLENGE_LIFETIME_MS } from '../../../local/passkeys';

const CUSTOMERS = [{ user_id: 'user-ana', name: 'Ana García' }];
const RP = { origin: 'http://localhost:4010', rpId: 'localhost' };

/** A WebAuthn response that answers `challenge` (clientDataJSON only: nothing gets as far as its signature). */
function answering(challenge: string) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin: RP.origin })).toString('base64url');
  return { id: 'cred', rawId: 'cred', type: 'public-key' as const, response: { clientDataJSON, attestationObject: '', authenticatorData: '', signature: '' }, clientExtensionResults: {} };
}

describe('LocalPasskeys', () => {
  let clock = 0;
  const passkeys = () => new LocalPasskeys(() => CUSTOMERS, () => clock);

  beforeEach(() => {
    clock = Date.parse('2026-11-26T16:00:00Z');
  });

  it('asks for a resident, user-verified passkey of a seeded customer, for the page’s host', async () => {
    const options = await passkeys().registrationOptions('user-ana', RP);
    expect(options).toMatchObject({ rp: { id: 'localhost' }, user: { name: 'user-ana', displayName: 'Ana García' }, attestation: 'none', authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
  });

  it('makes no passkey for someone who is not a customer', async () => {
    await expect(passkeys().registrationOptions('user-nobody', RP)).rejects.toThrow(PasskeyError);
  });

  it.each<[string, (p: LocalPasskeys) => Promise<unknown>, string]>([
    ['a challenge it never handed out', (p) => p.register(answering('made-up') as never, 'user-ana'), 'the challenge is not one this issuer handed out'],
    ['a sign-in’s challenge answered as a registration', async (p) => p.register(answering((await p.authenticationOptions(RP)).challenge) as never, 'user-ana'), 'the challenge is not one this issuer handed out'],
    ['a registration’s challenge answered as a sign-in', async (p) => p.authenticate(answering((await p.registrationOptions('user-ana', RP)).challenge) as never), 'the challenge is not one this issuer handed out'],
    ['another customer’s registration challenge', async (p) => p.register(answering((await p.registrationOptions('user-ana', RP)).challenge) as never, 'user-luis'), 'the challenge was handed out for another customer'],
    ['an answer that is not WebAuthn’s', (p) => p.register({ response: { clientDataJSON: '%%%' } } as never, 'user-ana'), 'the answer is not a WebAuthn response'],
  ])('refuses %s', async (_case, act, message) => {
    await expect(act(passkeys())).rejects.toThrow(message);
  });

  it('uses a challenge up, and refuses one past its two minutes', async () => {
    // Prepare
    const p = passkeys();
    const late = (await p.registrationOptions('user-ana', RP)).challenge;
    const once = (await p.registrationOptions('user-ana', RP)).challenge;
    await expect(p.register(answering(once) as never, 'user-ana')).rejects.toThrow(PasskeyError);
    clock += CHALLENGE_LIFETIME_MS;

    // Act
    const replayed = p.register(answering(once) as never, 'user-ana');
    const expired = p.register(answering(late) as never, 'user-ana');

    // Assess
    await expect(replayed).rejects.toThrow('the challenge is not one this issuer handed out');
    await expect(expired).rejects.toThrow('the challenge expired');
    expect(p.has('user-ana')).toBe(false);
  });
});
