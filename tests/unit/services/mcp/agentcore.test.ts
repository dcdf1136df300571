import { UnauthenticatedError } from '@centli/kit/auth';
import { fingerprint } from '@centli/tools/confirmation';
import { identityMessage, unsignedIdentity, type GatewayIdentity } from '../../../../services/mcp/src/domain/gateway-identity';
import { intercept, type InterceptorDeps, type InterceptorEvent } from '../../../../services/mcp/src/handlers/agentcore-interceptor';
import { callTarget, type TargetDeps } from '../../../../services/mcp/src/handlers/agentcore-target';
import { balances, holders, FakeClock, FakeApprovalStore, FakeMac, fakeRunnerDeps, FakeServiceCaller, NOW, reply, transferCompleted, type Responder } from './fakes';

const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const TOKENS: Record<string, string> = { 'tok-ana': 'user-ana', 'tok-carlos': 'user-carlos' };
const DEBITO = { card_id: 'card-ana-nomina', account_id: 'acc-ana-nomina-4821', masked_number: '453212******1234', last_four: '1234', brand: 'visa', type: 'debit', status: 'active', expiry: '08/2029' };

/** The Gateway's REQUEST interceptor input (interceptorInputVersion 1.0, passRequestHeaders: true). */
function gatewayEvent(body: Record<string, unknown>, headers: Record<string, string> = { Authorization: 'Bearer tok-ana' }): InterceptorEvent {
  return {
    interceptorInputVersion: '1.0',
    mcp: {
      rawGatewayRequest: { body: JSON.stringify(body) },
      gatewayRequest: { path: '/mcp', httpMethod: 'POST', headers: { Accept: 'application/json', 'Mcp-Session-Id': 'sess-1', ...headers }, body },
    },
  } as InterceptorEvent;
}

const toolsCall = (name: string, args: Record<string, unknown>, id: unknown = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

function interceptorDeps(mac = new FakeMac()) {
  const customerOf = jest.fn(async (token: string | undefined) => {
    const userId = token ? TOKENS[token] : undefined;
    if (!userId) throw new UnauthenticatedError(false, { cause: new Error('signature verification failed') });
    return { userId, locale: 'es' as const, expiresAt: undefined, claims: {} };
  });
  const deps: InterceptorDeps = { verifier: { customer: customerOf }, mac, now: () => NOW };
  return { deps, customerOf, mac };
}

interface Transformed {
  interceptorOutputVersion: string;
  mcp: {
    transformedGatewayRequest?: { body: { id?: unknown; params?: { name?: string; arguments?: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown> };
    transformedGatewayResponse?: { statusCode: number; body: Record<string, unknown> };
  };
}

describe('intercept', () => {
  it.each([
    { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'agent', version: '1' } } },
  ])('passes $method unchanged, without looking at the token', async (body) => {
    // Prepare
    const { deps, customerOf, mac } = interceptorDeps();

    // Act
    const output = (await intercept(gatewayEvent(body, {}), deps)) as Transformed;

    // Assess
    expect(output).toEqual({ interceptorOutputVersion: '1.0', mcp: { transformedGatewayRequest: { body } } });
    expect(customerOf).not.toHaveBeenCalled();
    expect(mac.signed).toEqual([]);
  });

  it("adds the verified customer's identity to a tools/call, MACed over the customer, tool and arguments", async () => {
    // Prepare
    const { deps, customerOf, mac } = interceptorDeps();
    const body = { ...toolsCall('cards___lock_card', { last_four: '1234' }, 7), params: { name: 'cards___lock_card', arguments: { last_four: '1234' }, _meta: { progressToken: 'p1' } } };

    // Act
    const output = (await intercept(gatewayEvent(body), deps)) as Transformed;

    // Assess
    expect(customerOf).toHaveBeenCalledWith('tok-ana');
    expect(output.interceptorOutputVersion).toBe('1.0');
    expect(output.mcp.transformedGatewayResponse).toBeUndefined();
    const sent = output.mcp.transformedGatewayRequest?.body;
    const unsigned = { user_id: 'user-ana', locale: 'es' as const, tool: 'cards___lock_card', args_sha256: fingerprint({ last_four: '1234' }), expires_at: NOW_SECONDS + 60 };
    expect(sent).toEqual({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'cards___lock_card', _meta: { progressToken: 'p1' }, arguments: { last_four: '1234', _centli_identity: { ...unsigned, mac: await mac.sign(identityMessage(unsigned)) } } },
    });
  });

  it('throws away an identity the client sent and vouches with its own', async () => {
    // Prepare
    const { deps } = interceptorDeps();
    const forged = { user_id: 'user-carlos', tool: 'core-banking___transfer_funds', args_sha256: 'x', expires_at: NOW_SECONDS + 9999, mac: 'Zm9yZ2Vk' };

    // Act
    const output = (await intercept(gatewayEvent(toolsCall('core-banking___transfer_funds', { to_account_id: 'acc-ana-nomina-4821', amount: 10000, _centli_identity: forged })), deps)) as Transformed;

    // Assess
    const args = output.mcp.transformedGatewayRequest?.body.params?.arguments ?? {};
    expect(args._centli_identity).toMatchObject({ user_id: 'user-ana', tool: 'core-banking___transfer_funds', args_sha256: fingerprint({ to_account_id: 'acc-ana-nomina-4821', amount: 10000 }) });
    expect(args._centli_identity).not.toMatchObject({ mac: forged.mac });
    expect(Object.keys(args).sort()).toEqual(['_centli_identity', 'amount', 'to_account_id']);
  });

  it.each<[string, Record<string, string>, string | undefined]>([
    ['lower-case header', { authorization: 'Bearer tok-carlos' }, 'user-carlos'],
    ['header without its scheme', { Authorization: 'tok-carlos' }, 'user-carlos'],
  ])('reads the token from a %s', async (_case, headers, userId) => {
    // Prepare
    const { deps } = interceptorDeps();

    // Act
    const output = (await intercept(gatewayEvent(toolsCall('cards___list_cards', {}), headers), deps)) as Transformed;

    // Assess
    expect(output.mcp.transformedGatewayRequest?.body.params?.arguments?._centli_identity).toMatchObject({ user_id: userId });
  });

  it.each<[string, Record<string, string>]>([
    ['a token no issuer signed', { Authorization: 'Bearer tok-forged' }],
    ['no Authorization header', {}],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('answers a tools/call with %s by a JSON-RPC error, never reaching a target', async (_case, headers) => {
    // Prepare
    const { deps, mac } = interceptorDeps();

    // Act
    const output = (await intercept(gatewayEvent(toolsCall('core-banking___transfer_funds', { to_account_id: 'acc-ana-nomina-4821', amount: 10000 }, 'call-9'), headers), deps)) as Transformed;

    // Assess
    expect(output).toEqual({
      interceptorOutputVersion: '1.0',
      mcp: { transformedGatewayResponse: { statusCode: 401, body: { jsonrpc: '2.0', id: 'call-9', error: { code: -32001, message: 'Tu sesión no es válida; vuelve a iniciar sesión. / Your session is not valid; please sign in again.' } } } },
    });
    expect(JSON.stringify(output)).not.toContain('_centli_identity');
    expect(mac.signed).toEqual([]);
  });

  it('lets an unexpected failure of the verifier fail the call, rather than let it through', async () => {
    // Prepare
    const { deps, mac } = interceptorDeps();
    deps.verifier = {
      customer: async () => {
        throw new Error('JWKS endpoint unreachable');
      },
    };

    // Act
    const outcome = intercept(gatewayEvent(toolsCall('cards___lock_card', { last_four: '1234' })), deps);

    // Assess
    await expect(outcome).rejects.toThrow('JWKS endpoint unreachable');
    expect(mac.signed).toEqual([]);
  });
});

describe('callTarget', () => {
  function targetSetup(overrides: Record<string, Responder> = {}) {
    const caller = new FakeServiceCaller({
      BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders,
      CARDS_QUERY: reply('CARDS_RESPONSE', { cards: [DEBITO] }),
      CARD_LOCK_REQUEST: reply('CARD_LOCKED', { card: { ...DEBITO, status: 'locked' }, changed: true, at: NOW.toISOString() }),
      ...overrides,
    });
    const mac = new FakeMac();
    const verify = jest.spyOn(mac, 'verify');
    const runner = fakeRunnerDeps(caller, new FakeApprovalStore(), new FakeClock());
    const deps: TargetDeps = { mac, runner, now: () => NOW };
    return { caller, mac, verify, deps };
  }

  async function vouched(mac: FakeMac, userId: string, tool: string, args: Record<string, unknown>, now = NOW): Promise<GatewayIdentity> {
    const unsigned = unsignedIdentity(userId, tool, args, now);
    return { ...unsigned, mac: await mac.sign(identityMessage(unsigned)) };
  }

  const REFUSED = { isError: true, code: 'AUTH.UNAUTHENTICATED', message: 'Esta herramienta solo actúa para un cliente que la puerta de Centli autenticó; no se hizo nada. / This tool acts only for a customer the Centli gateway has authenticated; nothing was done.' };

  it('runs the tool as the customer the identity vouches for, and answers its result', async () => {
    // Prepare
    const { caller, mac, deps } = targetSetup();
    const args = { last_four: '1234' };
    const event = { ...args, _centli_identity: await vouched(mac, 'user-ana', 'cards___lock_card', args) };

    // Act
    const answer = await callTarget(event, 'cards___lock_card', deps);

    // Assess
    expect(caller.requests).toHaveLength(1);
    expect(caller.requests[0]).toMatchObject({ detailType: 'CARD_LOCK_REQUEST', detail: { last_four: '1234', user_id: 'user-ana' } });
    expect(caller.requests[0]?.detail).not.toHaveProperty('_centli_identity');
    expect(answer).toEqual({
      isError: false,
      message: 'Listo, bloqueé tu tarjeta con terminación 1234. Puedes desbloquearla cuando quieras.',
      result: expect.objectContaining({ changed: true, card: expect.objectContaining({ status: 'locked' }), user_id: 'user-ana' }),
    });
    expect(answer).not.toHaveProperty('code');
  });

  it('answers a refusal as { isError, message, code } without a result', async () => {
    // Prepare
    const { mac, deps } = targetSetup({ CARD_LOCK_REQUEST: reply('CARD_OPERATION_FAILED', { reason: 'CARD.NOT_FOUND', message: 'No such card.' }) });
    const args = { last_four: '7788' };

    // Act
    const answer = await callTarget({ ...args, _centli_identity: await vouched(mac, 'user-ana', 'cards___lock_card', args) }, 'cards___lock_card', deps);

    // Assess
    expect(answer).toEqual({ isError: true, message: 'No encontré esa tarjeta entre las tuyas.', code: 'CARD.NOT_FOUND' });
  });

  it('answers an approval to give on the page as a result, not an error, and transfers once after the customer approves there', async () => {
    // Prepare
    const { caller, mac, deps } = targetSetup({ TRANSFER_REQUEST: transferCompleted });
    const args = { to_account_id: 'acc-carlos-nomina-3954', amount: 10000 };
    const target = 'core-banking___transfer_funds';

    // Act
    const first = await callTarget({ ...args, _centli_identity: await vouched(mac, 'user-ana', target, args) }, target, deps);
    const approvalId = String((first.result as { approval_id?: unknown }).approval_id);
    const again = { ...args, approval_id: approvalId };
    const beforeApproval = await callTarget({ ...again, _centli_identity: await vouched(mac, 'user-ana', target, again) }, target, deps);
    await deps.runner.approvals.decide(approvalId, 'user-ana', 'approved', 'page', NOW);
    const approved = await callTarget({ ...again, _centli_identity: await vouched(mac, 'user-ana', target, again) }, target, deps);
    const later = await callTarget({ ...again, _centli_identity: await vouched(mac, 'user-ana', target, again) }, target, deps);

    // Assess
    expect(first.isError).toBe(false);
    expect(first.message).toContain('$100.00 MXN a Carlos García, cuenta ****3954, desde tu Cuenta Nómina ****4821');
    expect(first.message).toContain('https://centli.example/approve.html?id=ap_');
    expect(first.result).toMatchObject({ status: 'approval_required', tool: 'transfer_funds', approval_url: expect.stringContaining(approvalId) });
    expect(beforeApproval).toMatchObject({ isError: false, result: { status: 'approval_pending', approval_id: approvalId } });
    expect(approved).toMatchObject({ isError: false, result: { amount: 10000, to_account_id: 'acc-carlos-nomina-3954' } });
    expect(later.message).toBe(approved.message);
    expect(caller.sent('TRANSFER_REQUEST')).toHaveLength(2);
    expect(new Set(caller.sent('TRANSFER_REQUEST').map((r) => r.detail.request_id)).size).toBe(1);
  });

  it.each<[string, (mac: FakeMac) => Promise<Record<string, unknown>>, string]>([
    ['no identity', async () => ({ last_four: '1234' }), 'cards___lock_card'],
    ['an identity that is not an object', async () => ({ last_four: '1234', _centli_identity: 'user-ana' }), 'cards___lock_card'],
    ['an identity for another tool', async (mac) => ({ last_four: '1234', _centli_identity: await vouched(mac, 'user-ana', 'cards___unlock_card', { last_four: '1234' }) }), 'cards___lock_card'],
    ['an identity for other arguments', async (mac) => ({ last_four: '5678', _centli_identity: await vouched(mac, 'user-ana', 'cards___lock_card', { last_four: '1234' }) }), 'cards___lock_card'],
    ['an identity that expired', async (mac) => ({ last_four: '1234', _centli_identity: await vouched(mac, 'user-ana', 'cards___lock_card', { last_four: '1234' }, new Date(NOW.getTime() - 61_000)) }), 'cards___lock_card'],
    ['an identity MACed with another key', async () => ({ last_four: '1234', _centli_identity: await vouched(new FakeMac('someone-else'), 'user-ana', 'cards___lock_card', { last_four: '1234' }) }), 'cards___lock_card'],
    ['an identity whose customer was changed after signing', async (mac) => ({ last_four: '1234', _centli_identity: { ...(await vouched(mac, 'user-ana', 'cards___lock_card', { last_four: '1234' })), user_id: 'user-carlos' } }), 'cards___lock_card'],
    ['an identity whose expiry was pushed back after signing', async (mac) => {
      const identity = await vouched(mac, 'user-ana', 'cards___lock_card', { last_four: '1234' }, new Date(NOW.getTime() - 61_000));
      return { last_four: '1234', _centli_identity: { ...identity, expires_at: NOW_SECONDS + 60 } };
    }, 'cards___lock_card'],
    ['an identity with a MAC that is not base64', async (mac) => ({ last_four: '1234', _centli_identity: { ...(await vouched(mac, 'user-ana', 'cards___lock_card', { last_four: '1234' })), mac: '!!!' } }), 'cards___lock_card'],
  ])('refuses a call with %s, calling nothing', async (_case, event, tool) => {
    // Prepare
    const { caller, mac, deps } = targetSetup();

    // Act
    const answer = await callTarget(await event(mac), tool, deps);

    // Assess
    expect(answer).toEqual(REFUSED);
    expect(caller.requests).toEqual([]);
  });

  it('checks the shape, expiry, tool and arguments before asking for the MAC to be verified', async () => {
    // Prepare
    const { mac, verify, deps } = targetSetup();
    const identity = await vouched(mac, 'user-ana', 'cards___unlock_card', { last_four: '1234' });

    // Act
    await callTarget({ last_four: '1234', _centli_identity: identity }, 'cards___lock_card', deps);
    await callTarget({ last_four: '1234' }, 'cards___lock_card', deps);

    // Assess
    expect(verify).not.toHaveBeenCalled();
  });

  it('runs, end to end, as the customer of the token the interceptor verified, whatever identity the client sent', async () => {
    // Prepare
    const { caller, mac, deps } = targetSetup();
    const forged = await vouched(new FakeMac('attacker'), 'user-carlos', 'core-banking___get_balance', {});
    const { deps: gateway } = interceptorDeps(mac);
    const output = (await intercept(gatewayEvent(toolsCall('core-banking___get_balance', { _centli_identity: forged })), gateway)) as Transformed;
    const event = output.mcp.transformedGatewayRequest?.body.params?.arguments ?? {};

    // Act
    const answer = await callTarget(event, 'core-banking___get_balance', deps);

    // Assess
    expect(answer.isError).toBe(false);
    expect(caller.requests.map((r) => r.detail.user_id)).toEqual(['user-ana']);
    expect(answer.message).toContain('Cuenta Nómina ****4821: $185,500.75 MXN');
  });

  it('refuses arguments changed between the interceptor and the target', async () => {
    // Prepare
    const { caller, mac, deps } = targetSetup();
    const { deps: gateway } = interceptorDeps(mac);
    const output = (await intercept(gatewayEvent(toolsCall('core-banking___transfer_funds', { to_account_id: 'acc-carlos-nomina-3954', amount: 10000 })), gateway)) as Transformed;
    const event = { ...(output.mcp.transformedGatewayRequest?.body.params?.arguments ?? {}), amount: 1_000_000 };

    // Act
    const answer = await callTarget(event, 'core-banking___transfer_funds', deps);

    // Assess
    expect(answer).toEqual(REFUSED);
    expect(caller.requests).toEqual([]);
  });
});
