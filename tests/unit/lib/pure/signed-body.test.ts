import { signBody, verifySignedBody } from '@centli/pure/signed-body';

describe('signed bodies', () => {
  const secret = 'centli-local-spei-secret';
  const body = JSON.stringify({ clabe: '999180100000048210', amount: 55000, clave_rastreo: 'BBVA20261206000001' });
  const at = new Date('2026-12-06T18:00:00.000Z');

  it('accepts the body it signed, at the time it was signed and within the tolerance', () => {
    const header = signBody(secret, body, at);
    expect(verifySignedBody(secret, body, header, at)).toBeUndefined();
    expect(verifySignedBody(secret, body, header, new Date(at.getTime() + 299_000))).toBeUndefined();
    expect(verifySignedBody(secret, Buffer.from(body), header, at)).toBeUndefined();
  });

  it('refuses a replay of a signed notification once its timestamp is stale, either way', () => {
    const header = signBody(secret, body, at);
    expect(verifySignedBody(secret, body, header, new Date(at.getTime() + 301_000))).toBe('stale');
    expect(verifySignedBody(secret, body, header, new Date(at.getTime() - 301_000))).toBe('stale');
  });

  it('refuses a fresh timestamp spliced onto an old signature', () => {
    const old = signBody(secret, body, at);
    const later = new Date(at.getTime() + 3_600_000);
    const spliced = old.replace(/t=[0-9]+/, `t=${Math.floor(later.getTime() / 1000)}`);
    expect(verifySignedBody(secret, body, spliced, later)).toBe('mismatch');
  });

  it.each([
    ['another body', (h: string) => ({ body: body.replace('55000', '5500000'), header: h, secret })],
    ['another secret', (h: string) => ({ body, header: h, secret: 'someone-else' })],
    ['no secret at all', (h: string) => ({ body, header: h, secret: '' })],
  ])('refuses %s', (_what, change) => {
    const changed = change(signBody(secret, body, at));
    expect(verifySignedBody(changed.secret, changed.body, changed.header, at)).toBe('mismatch');
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['no timestamp', `v1=${'a'.repeat(64)}`, 'malformed'],
    ['a short signature', 't=1796580000,v1=abcd', 'malformed'],
    ['a timestamp that is not a number', `t=soon,v1=${'a'.repeat(64)}`, 'malformed'],
  ])('refuses %s', (_what, header, problem) => {
    expect(verifySignedBody(secret, body, header, at)).toBe(problem);
  });
});
