import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { detailValidator } from '@centli/schemas';
import {
  canonicalJson,
  ConfirmationAlteredError,
  ConfirmationExpiredError,
  ConfirmationInvalidError,
  confirmationKey,
  ConfirmationUsedError,
  confirmedRequestId,
  CONFIRMATION_TTL_SECONDS,
  explainRejection,
  fingerprint,
  bindingFor,
  consumeConfirmation,
  newConfirmationToken,
  openConfirmation,
  type ConfirmationBinding,
  type PendingConfirmation,
} from '@centli/tools/confirmation';

const seed = 20261126;
const NOW = new Date('2026-11-26T16:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const token = fc.base64String({ minLength: 16, maxLength: 64 }).map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')).filter((s) => s.length >= 16);

describe('canonicalJson', () => {
  it('writes object keys in order, so equal values have equal text', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: null })).toBe('{"a":"x","b":1,"c":null}');
    expect(canonicalJson({ c: null, a: 'x', b: 1 })).toBe(canonicalJson({ b: 1, a: 'x', c: null }));
  });

  it('orders nested objects too, inside objects and arrays', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ b: 2, a: 1 }] }, a: [] })).toBe('{"a":[],"z":{"x":[{"a":1,"b":2}],"y":1}}');
  });

  it('keeps the order of arrays, which is meaningful', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('drops undefined properties, as JSON would', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
    expect(canonicalJson({ amount: 10000, description: undefined })).toBe(canonicalJson({ amount: 10000 }));
  });

  it('writes scalars and strings as JSON does', () => {
    expect(canonicalJson('¿Transfiero "100"?')).toBe(JSON.stringify('¿Transfiero "100"?'));
    expect([canonicalJson(10000), canonicalJson(true), canonicalJson(null)]).toEqual(['10000', 'true', 'null']);
  });

  it('is JSON that parses back to the same value, whatever the key order', () => {
    const json = fc.jsonValue().filter((v) => !Object.is(v, -0));
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('fingerprint', () => {
  it('is SHA-256 of the canonical JSON, base64url', () => {
    // Prepare
    const args = { beneficiary: 'mi hermano', amount: 10000 };

    // Act
    const print = fingerprint(args);

    // Assess
    expect(print).toBe(createHash('sha256').update('{"amount":10000,"beneficiary":"mi hermano"}').digest('base64url'));
    expect(print).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is stable across key order and calls, and changes with any value', () => {
    expect(fingerprint({ amount: 10000, beneficiary: 'mi hermano' })).toBe(fingerprint({ beneficiary: 'mi hermano', amount: 10000 }));
    expect(fingerprint({ amount: 10000 })).not.toBe(fingerprint({ amount: 10001 }));
    expect(fingerprint({ amount: 10000 })).not.toBe(fingerprint({ amount: '10000' }));
  });
});

describe('newConfirmationToken / confirmationKey / confirmedRequestId', () => {
  it('makes tokens the tools accept, never the same twice', () => {
    // Act
    const tokens = Array.from({ length: 50 }, () => newConfirmationToken());

    // Assess
    expect(new Set(tokens).size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('derives the same key and request id from the same token, every time', () => {
    fc.assert(
      fc.property(token, (t) => {
        expect(confirmationKey(t)).toBe(confirmationKey(t));
        expect(confirmedRequestId(t)).toBe(confirmedRequestId(t));
      }),
      { seed, numRuns: 100 },
    );
  });

  it('derives a key and a request id that are distinct from each other and from the token', () => {
    fc.assert(
      fc.property(token, (t) => {
        const key = confirmationKey(t);
        const requestId = confirmedRequestId(t);
        expect(key).not.toBe(t);
        expect(key).not.toContain(t);
        expect(requestId).not.toBe(t);
        expect(requestId).not.toBe(key);
        expect(key.slice(3)).not.toBe(requestId.slice(3));
      }),
      { seed, numRuns: 200 },
    );
  });

  it('derives different keys and request ids for different tokens', () => {
    fc.assert(
      fc.property(token, token, (a, b) => {
        fc.pre(a !== b);
        expect(confirmationKey(a)).not.toBe(confirmationKey(b));
        expect(confirmedRequestId(a)).not.toBe(confirmedRequestId(b));
      }),
      { seed, numRuns: 200 },
    );
  });

  it('derives a request id every service accepts as request_id', () => {
    // Prepare
    const validTransfer = detailValidator('TRANSFER_REQUEST');
    const transfer = { correlation_id: 'mcp-1', user_id: 'user-ana', from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000, currency: 'MXN' };

    // Act
    const tokens = [...Array.from({ length: 100 }, () => newConfirmationToken()), ...fc.sample(token, { seed, numRuns: 100 })];

    // Assess
    for (const t of tokens) expect(validTransfer({ ...transfer, request_id: confirmedRequestId(t) })).toBeUndefined();
  });
});

describe('openConfirmation', () => {
  it('keeps the token only as its key, bound to everything it summarised, for five minutes, and tells the same expiry it stores', () => {
    // Prepare
    const t = newConfirmationToken();
    const binding = { userId: 'user-ana', tool: 'transfer_funds', argsHash: fingerprint({ beneficiary: 'mi hermano', amount: 10000 }), requestHash: 'req-hash' };
    const request = { detailType: 'TRANSFER_REQUEST', detail: { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000, currency: 'MXN' } };

    // Act
    const opened = openConfirmation(binding, request, '¿Transfiero $100.00 MXN?', NOW, 'mcp-1', t);

    // Assess
    expect(CONFIRMATION_TTL_SECONDS).toBe(300);
    expect(opened.pending).toEqual({
      pk: confirmationKey(t),
      user_id: 'user-ana',
      tool: 'transfer_funds',
      args_hash: binding.argsHash,
      request_hash: 'req-hash',
      request,
      summary: '¿Transfiero $100.00 MXN?',
      status: 'pending',
      expires_at: NOW_SECONDS + 300,
      created_at: '2026-11-26T16:00:00.000Z',
      correlation_id: 'mcp-1',
    });
    expect(opened).toMatchObject({ token: t, key: confirmationKey(t), requestId: confirmedRequestId(t), expiresAt: '2026-11-26T16:05:00.000Z' });
    expect(JSON.stringify(opened.pending)).not.toContain(t);
  });

  it('rounds the expiry down to whole seconds, tells that same instant, and leaves out a missing correlation id', () => {
    // Act
    const opened = openConfirmation({ userId: 'u', tool: 't', argsHash: 'a', requestHash: 'r' }, { detailType: 'X', detail: {} }, 's', new Date(NOW.getTime() + 999));

    // Assess
    expect(opened.pending.expires_at).toBe(NOW_SECONDS + 300);
    expect(opened.expiresAt).toBe(new Date((NOW_SECONDS + 300) * 1000).toISOString());
    expect(opened.pending).not.toHaveProperty('correlation_id');
  });

  it('gives every confirmation a token of its own when none is given', () => {
    const binding = { userId: 'u', tool: 't', argsHash: 'a', requestHash: 'r' };
    const [a, b] = [openConfirmation(binding, { detailType: 'X', detail: {} }, 's', NOW), openConfirmation(binding, { detailType: 'X', detail: {} }, 's', NOW)];
    expect(a.token).not.toBe(b.token);
    expect(a.key).not.toBe(b.key);
  });
});

describe('bindingFor', () => {
  it('binds the arguments as they were asked, a confirmation_token among them or not', () => {
    // Prepare
    const request = { detailType: 'TRANSFER_REQUEST', detail: { amount: 10000 } };

    // Act
    const asked = bindingFor('user-ana', 'transfer_funds', { beneficiary: 'mi hermano', amount: 10000 }, request);
    const confirming = bindingFor('user-ana', 'transfer_funds', { amount: 10000, beneficiary: 'mi hermano', confirmation_token: 'tok_abcdefghijklmnop' }, request);

    // Assess
    expect(confirming).toEqual(asked);
    expect(asked).toEqual({ userId: 'user-ana', tool: 'transfer_funds', argsHash: fingerprint({ beneficiary: 'mi hermano', amount: 10000 }), requestHash: fingerprint(request) });
  });
});

describe('consumeConfirmation', () => {
  const binding: Required<ConfirmationBinding> = { userId: 'user-ana', tool: 'transfer_funds', argsHash: 'args-1', requestHash: 'request-1' };

  it('consumes what the store lets it, once', async () => {
    // Prepare
    const opened = openConfirmation(binding, { detailType: 'TRANSFER_REQUEST', detail: {} }, '¿Transfiero?', NOW);
    const store = { consume: jest.fn(async () => opened.pending) };

    // Act
    const consumed = await consumeConfirmation(store, opened.key, binding, NOW, 'es');

    // Assess
    expect(consumed).toEqual({ ok: true, pending: opened.pending });
    expect(store.consume).toHaveBeenCalledWith(opened.key, binding, NOW);
  });

  it.each([
    ['es', new ConfirmationExpiredError(), 'CONFIRMATION.EXPIRED', 'La confirmación expiró; pídemelo de nuevo y te muestro los datos otra vez.'],
    ['en', new ConfirmationUsedError(), 'CONFIRMATION.USED', 'That confirmation was already used; nothing was done again.'],
  ] as const)('tells a refusal in %s, from the catalogue', async (locale, error, code, text) => {
    // Act
    const consumed = await consumeConfirmation({ consume: async () => Promise.reject(error) }, 'cf_x', binding, NOW, locale);

    // Assess
    expect(consumed).toEqual({ ok: false, code, text });
  });

  it('lets any other failure of the store through', async () => {
    await expect(consumeConfirmation({ consume: async () => Promise.reject(new Error('throttled')) }, 'cf_x', binding, NOW, 'es')).rejects.toThrow('throttled');
  });
});

describe('explainRejection', () => {
  const binding: Required<ConfirmationBinding> = { userId: 'user-ana', tool: 'transfer_funds', argsHash: 'args-1', requestHash: 'request-1' };
  const item = (fields: Partial<PendingConfirmation> = {}): PendingConfirmation => ({
    ...openConfirmation(binding, { detailType: 'TRANSFER_REQUEST', detail: {} }, '¿Transfiero?', NOW, undefined, 'tok_abcdefghijklmnop').pending,
    ...fields,
  });
  const at = NOW_SECONDS + 60;

  it.each<[string, PendingConfirmation | undefined, ConfirmationBinding, number, new () => Error, string]>([
    ['a confirmation that does not exist', undefined, binding, at, ConfirmationInvalidError, 'CONFIRMATION.INVALID'],
    ["another customer's confirmation", item({ user_id: 'user-carlos' }), binding, at, ConfirmationInvalidError, 'CONFIRMATION.INVALID'],
    ["another customer's confirmation, even used and expired", item({ user_id: 'user-carlos', status: 'used' }), binding, NOW_SECONDS + 3600, ConfirmationInvalidError, 'CONFIRMATION.INVALID'],
    ["another customer's confirmation for other arguments", item({ user_id: 'user-carlos' }), { ...binding, argsHash: 'args-2' }, at, ConfirmationInvalidError, 'CONFIRMATION.INVALID'],
    ['a used confirmation', item({ status: 'used' }), binding, at, ConfirmationUsedError, 'CONFIRMATION.USED'],
    ['a cancelled confirmation', item({ status: 'cancelled' }), binding, at, ConfirmationInvalidError, 'CONFIRMATION.INVALID'],
    ['an expired confirmation', item(), binding, NOW_SECONDS + 301, ConfirmationExpiredError, 'CONFIRMATION.EXPIRED'],
    ['a confirmation at the very second it expires', item(), binding, NOW_SECONDS + 300, ConfirmationExpiredError, 'CONFIRMATION.EXPIRED'],
    ['a confirmation for other arguments', item(), { ...binding, argsHash: 'args-2' }, at, ConfirmationAlteredError, 'CONFIRMATION.ALTERED'],
    ['a confirmation whose request changed', item(), { ...binding, requestHash: 'request-2' }, at, ConfirmationAlteredError, 'CONFIRMATION.ALTERED'],
    ['a confirmation for another tool', item(), { ...binding, tool: 'purchase_product' }, at, ConfirmationAlteredError, 'CONFIRMATION.ALTERED'],
    ['a confirmation that matched but lost a race', item(), binding, at, ConfirmationUsedError, 'CONFIRMATION.USED'],
  ])('explains %s', (_case, pending, asked, nowSeconds, type, code) => {
    // Act
    const error = explainRejection(pending, asked, nowSeconds);

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.field).toBe('confirmation_token');
    expect(error.message).not.toMatch(/user-|carlos|args-|request-/);
  });

  it('answers a stranger exactly as it answers a token that never existed', () => {
    // Act
    const stranger = explainRejection(item({ user_id: 'user-carlos' }), binding, at);
    const nobody = explainRejection(undefined, binding, at);

    // Assess
    expect({ name: stranger.name, code: stranger.code, message: stranger.message }).toEqual({ name: nobody.name, code: nobody.code, message: nobody.message });
  });

  it('ignores the request for a caller that cannot recompute it (the chat)', () => {
    // Act
    const error = explainRejection(item(), { userId: 'user-ana', tool: 'transfer_funds', argsHash: 'args-1' }, at);

    // Assess
    expect(error).toBeInstanceOf(ConfirmationUsedError);
  });
});
