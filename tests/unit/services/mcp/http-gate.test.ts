import { MAX_BODY_BYTES, refusalOf } from '../../../../services/mcp/src/domain/http-gate';

const message = (text: string) => Buffer.from(text, 'utf8');
const errorOf = (refused: ReturnType<typeof refusalOf>) => (JSON.parse(refused?.body ?? '{}') as { error?: { code: number; message: string } }).error;

describe('refusalOf', () => {
  it('lets one JSON-RPC message through', () => {
    expect(refusalOf('POST', message('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'))).toBeUndefined();
  });

  it.each(['GET', 'DELETE', 'PUT'])('answers %s with 405 and Allow: POST (Streamable HTTP lets a server without a stream refuse GET)', (method) => {
    const refused = refusalOf(method, undefined);
    expect(refused).toMatchObject({ statusCode: 405, headers: { allow: 'POST', 'content-type': 'application/json' } });
    expect(errorOf(refused)).toMatchObject({ code: -32000 });
  });

  it.each([
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]'],
    ['a batch after white space', ' \r\n\t[{"jsonrpc":"2.0","id":1,"method":"ping"}]'],
    ['an empty batch', '[]'],
  ])('refuses %s with a JSON-RPC Invalid Request', (_what, body) => {
    const refused = refusalOf('POST', message(body));
    expect(refused?.statusCode).toBe(400);
    expect(errorOf(refused)).toEqual({ code: -32600, message: expect.stringContaining('batches are not supported') });
  });

  it('refuses a body over the limit unread, and takes one exactly at it', () => {
    const padded = (size: number) => message(`{"a":"${'x'.repeat(size - 8)}"}`);
    expect(padded(MAX_BODY_BYTES).byteLength).toBe(MAX_BODY_BYTES);
    expect(refusalOf('POST', padded(MAX_BODY_BYTES))).toBeUndefined();
    expect(refusalOf('POST', padded(MAX_BODY_BYTES + 1))).toMatchObject({ statusCode: 413 });
  });

  it('leaves a body that is not JSON to the transport, which answers a parse error', () => {
    expect(refusalOf('POST', message('not json'))).toBeUndefined();
  });
});
