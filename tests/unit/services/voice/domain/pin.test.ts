import { hashPin, isPinShaped, PIN_HASH_PARAMETERS, verifyPin } from '../../../../../services/voice/src/domain/pin';
import { FAST, fastHash } from '../fakes';

describe('hashPin', () => {
  it('stores the algorithm, its parameters, a salt and the hash, and never the PIN', async () => {
    // Act
    const stored = await fastHash('2468');

    // Assess
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('2468');
  });

  it('salts every hash: one PIN hashed twice gives two hashes, both of which verify', async () => {
    // Act
    const [a, b] = await Promise.all([fastHash('2468'), fastHash('2468')]);

    // Assess
    expect(a).not.toBe(b);
    expect(await verifyPin('2468', a)).toBe(true);
    expect(await verifyPin('2468', b)).toBe(true);
  });

  it('uses a slow cost by default: 2^15 and r 8', async () => {
    // Act
    const stored = await hashPin('2468');

    // Assess
    expect(PIN_HASH_PARAMETERS).toEqual({ N: 32768, r: 8, p: 1 });
    expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPin('2468', stored)).toBe(true);
  });
});

describe('verifyPin', () => {
  it.each([['2469'], ['02468'], ['246'], ['']])('refuses %s for the hash of 2468', async (pin) => {
    // Prepare
    const stored = await fastHash('2468');

    // Act & Assess
    expect(await verifyPin(pin, stored)).toBe(false);
  });

  it.each([['plain:2468'], ['scrypt$1024$8$1$c2FsdA'], ['scrypt$x$8$1$c2FsdA$aGFzaA'], ['scrypt$1024$8$1$c2FsdA$dG9vc2hvcnQ'], [`scrypt$${2 ** 24}$8$1$c2FsdA$${'A'.repeat(43)}`]])(
    'matches nothing against a stored value that is not one of its hashes: %s',
    async (stored) => {
      // Act & Assess
      expect(await verifyPin('2468', stored)).toBe(false);
    },
  );

  it('reads the cost from the hash, so a hash made with other parameters still verifies', async () => {
    // Prepare
    const stored = await hashPin('97531', { ...FAST, N: 2048 });

    // Act & Assess
    expect(await verifyPin('97531', stored)).toBe(true);
  });
});

describe('isPinShaped', () => {
  it.each([['2468', true], ['12345678', true], ['123', false], ['123456789', false], ['24a8', false], [2468, false], [undefined, false]])('%s is a PIN: %s', (pin, shaped) => {
    // Act & Assess
    expect(isPinShaped(pin)).toBe(shaped);
  });
});
