import { readSignedJson, signBody, verifySignedBody } from '@centli/pure/signed-body';
import { speiValidator, type SpeiOrderResult } from '@centli/schemas';

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

describe('readSignedJson', () => {
  const secret = 'centli-local-spei-secret';
  const at = new Date('2026-12-06T18:00:00.000Z');
  // A real contract, as the SPEI endpoints read theirs: its violations name the field under `body`.
  const validate = speiValidator('order-result');
  const result = { order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'liquidada' };
  const read = (body: string, header: string | undefined) => readSignedJson<SpeiOrderResult>(secret, Buffer.from(body), header, at, validate);
  const signed = (body: string) => read(body, signBody(secret, body, at));

  it('returns the value of a signed body that its contract accepts', () => {
    // Act
    const outcome = signed(JSON.stringify(result));

    // Assess
    expect(outcome).toEqual({ value: result });
  });

  it.each([
    ['unsigned', undefined, 'missing'],
    ['signed with another secret', signBody('someone-else', JSON.stringify(result), at), 'mismatch'],
    ['signed over another body', signBody(secret, JSON.stringify({ ...result, status: 'devuelta' }), at), 'mismatch'],
    ['signed too long ago', signBody(secret, JSON.stringify(result), new Date(at.getTime() - 301_000)), 'stale'],
  ])('refuses a body %s with 401 and the signature’s problem, before reading it', (_what, header, problem) => {
    // Act
    const outcome = read(JSON.stringify(result), header);

    // Assess
    expect(outcome).toEqual({ refusal: { status: 401, body: { error: 'signature', problem } } });
  });

  it('refuses a signed body that is not JSON with 400, and an unsigned one with 401 first', () => {
    expect(signed('{"order_id":')).toEqual({ refusal: { status: 400, body: { error: 'invalid', message: 'the body is not JSON' } } });
    expect(read('{"order_id":', undefined)).toEqual({ refusal: { status: 401, body: { error: 'signature', problem: 'missing' } } });
  });

  it.each([
    ['no clave de rastreo', { order_id: 'spei-1', status: 'liquidada' }],
    ['a status the contract does not have', { ...result, status: 'perdida' }],
    ['a field the contract does not have', { ...result, instrucciones: 'reintenta' }],
  ])('refuses a signed body with %s with 400 and the contract’s own message', (_what, body) => {
    // Prepare
    const violation = validate(body);

    // Act
    const outcome = signed(JSON.stringify(body));

    // Assess
    expect(violation).toBeDefined();
    expect(outcome).toEqual({ refusal: { status: 400, body: { error: 'invalid', message: violation?.message } } });
  });
});
