/**
 * The AgentCore Gateway path, locally: the interceptor and target functions invoked through the
 * Lambda Invoke API exactly as the Gateway invokes them (the interceptor with the documented
 * interceptor payload; the target with the tool's arguments as the event, flat, and the tool name
 * in the client context), with the stack's KMS HMAC key and its tokens. Only AgentCore itself is
 * missing, and its side of the contract is what these events are.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { balancesOf, closeClients, createAccounts, endpoints, runId, type TestAccount } from '../support';
import { decide } from './support';

const run = runId();

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let lambda: LambdaClient;

async function invoke<T>(functionName: string, event: unknown, toolName?: string): Promise<T> {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      Payload: JSON.stringify(event),
      ...(toolName ? { ClientContext: Buffer.from(JSON.stringify({ custom: { bedrockAgentCoreToolName: toolName } })).toString('base64') } : {}),
    }),
  );
  if (result.FunctionError) throw new Error(Buffer.from(result.Payload ?? []).toString());
  return JSON.parse(Buffer.from(result.Payload ?? []).toString()) as T;
}

/** The interceptor input for a tools/call, as the Gateway sends it with passRequestHeaders. */
function gatewayRequest(name: string, args: Record<string, unknown>, authorization: string | undefined) {
  const body = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } };
  return {
    interceptorInputVersion: '1.0',
    mcp: {
      rawGatewayRequest: { body: JSON.stringify(body) },
      gatewayRequest: { path: '/mcp', httpMethod: 'POST', headers: { Accept: 'application/json', 'Mcp-Session-Id': 'session-1', ...(authorization ? { Authorization: authorization } : {}) }, body },
    },
  };
}

interface InterceptorOutput {
  interceptorOutputVersion: string;
  mcp: { transformedGatewayRequest?: { body: { params: { name: string; arguments: Record<string, unknown> } } }; transformedGatewayResponse?: { statusCode: number; body: { error: { message: string } } } };
}

interface TargetAnswer {
  isError: boolean;
  message: string;
  result?: Record<string, unknown>;
  code?: string;
}

const INTERCEPTOR = 'centli-mcp-local-agentcore-interceptor';
const TARGET = 'centli-mcp-local-agentcore-target';

describe('AgentCore Gateway target and interceptor', () => {
  beforeAll(() => {
    lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
  });

  afterAll(() => {
    lambda.destroy();
    closeClients();
  });

  /** What the Gateway does with a tools/call: interceptor, then the target with the transformed arguments. */
  async function throughGateway(name: string, args: Record<string, unknown>, token: string | undefined) {
    const intercepted = await invoke<InterceptorOutput>(INTERCEPTOR, gatewayRequest(name, args, token === undefined ? undefined : `Bearer ${token}`));
    if (!intercepted.mcp.transformedGatewayRequest) return { intercepted, answer: undefined };
    const { params } = intercepted.mcp.transformedGatewayRequest.body;
    return { intercepted, answer: await invoke<TargetAnswer>(TARGET, params.arguments, params.name) };
  }

  it('runs a tool for the customer of the token the interceptor verified', async () => {
    // Act
    const { intercepted, answer } = await throughGateway('core-banking___get_balance', {}, endpoints().tokens['user-ana']);

    // Assess
    expect(intercepted.interceptorOutputVersion).toBe('1.0');
    expect(intercepted.mcp.transformedGatewayRequest?.body.params.arguments._centli_identity).toMatchObject({ user_id: 'user-ana', tool: 'core-banking___get_balance' });
    expect(answer).toMatchObject({ isError: false, result: { user_id: 'user-ana' } });
    expect(answer?.message).toContain('Cuenta Nómina');
  });

  it('replaces an identity the client sent with the one the interceptor vouches for', async () => {
    const forged = { user_id: 'user-ana', tool: 'core-banking___get_balance', args_sha256: 'x', expires_at: 4102444800, mac: 'AAAA' };
    const { answer } = await throughGateway('core-banking___get_balance', { _centli_identity: forged }, endpoints().tokens['user-luis']);
    expect(answer?.result).toMatchObject({ user_id: 'user-luis' });
  });

  it('answers a call without a valid token at the interceptor; the target is never reached', async () => {
    const { intercepted, answer } = await throughGateway('cards___lock_card', { card_id: 'card-ana-nomina' }, 'not-a-token');
    expect(answer).toBeUndefined();
    expect(intercepted.mcp.transformedGatewayResponse).toMatchObject({ statusCode: 401, body: { error: { message: 'Tu sesión no es válida; vuelve a iniciar sesión. / Your session is not valid; please sign in again.' } } });
  });

  it.each<[string, (identity: Record<string, unknown>) => { args: Record<string, unknown>; tool: string }]>([
    ['no identity at all', () => ({ args: { card_id: 'card-ana-nomina' }, tool: 'cards___lock_card' })],
    ['an identity with another customer written in', (identity) => ({ args: { card_id: 'card-ana-nomina', _centli_identity: { ...identity, user_id: 'user-luis' } }, tool: 'cards___lock_card' })],
    ['an identity for other arguments', (identity) => ({ args: { card_id: 'card-ana-oro', _centli_identity: identity }, tool: 'cards___lock_card' })],
    ['an identity for another tool', (identity) => ({ args: { card_id: 'card-ana-nomina', _centli_identity: identity }, tool: 'cards___unlock_card' })],
    ['a forged MAC', (identity) => ({ args: { card_id: 'card-ana-nomina', _centli_identity: { ...identity, mac: Buffer.alloc(32, 1).toString('base64') } }, tool: 'cards___lock_card' })],
  ])('refuses %s, and nothing happens', async (_name, tamper) => {
    // Prepare: a genuine identity for Ana's lock_card of card-ana-nomina
    const intercepted = await invoke<InterceptorOutput>(INTERCEPTOR, gatewayRequest('cards___lock_card', { card_id: 'card-ana-nomina' }, `Bearer ${endpoints().tokens['user-ana']}`));
    const identity = intercepted.mcp.transformedGatewayRequest?.body.params.arguments._centli_identity as Record<string, unknown>;
    const { args, tool } = tamper(identity);

    // Act
    const answer = await invoke<TargetAnswer>(TARGET, args, tool);

    // Assess
    expect(answer).toEqual({ isError: true, code: 'AUTH.UNAUTHENTICATED', message: 'Esta herramienta solo actúa para un cliente que la puerta de Centli autenticó; no se hizo nada. / This tool acts only for a customer the Centli gateway has authenticated; nothing was done.' });
  });

  it('answers a money tool with an approval for the page, and moves the money once the customer approved there', async () => {
    // Prepare
    const source: TestAccount = { user_id: 'user-mateo', account_id: `acc-agc-src-${run}`, balance: 100_000 };
    const destination: TestAccount = { user_id: 'user-carlos', account_id: `acc-agc-dst-${run}`, balance: 0, type: 'savings' };
    await createAccounts([source, destination]);
    const token = endpoints().tokens['user-mateo'];
    const args = { from_account_id: source.account_id, to_account_id: destination.account_id, amount: 2500 };

    // Act
    const { answer: asked } = await throughGateway('core-banking___transfer_funds', args, token);
    const approvalId = String(asked?.result?.approval_id);
    const { answer: unapproved } = await throughGateway('core-banking___transfer_funds', { ...args, approval_id: approvalId }, token);
    const stranger = await decide('user-sofia', approvalId);
    const decision = await decide('user-mateo', approvalId);
    const { answer: done } = await throughGateway('core-banking___transfer_funds', { ...args, approval_id: approvalId }, token);
    const { answer: again } = await throughGateway('core-banking___transfer_funds', { ...args, approval_id: approvalId }, token);

    // Assess
    expect(asked).toMatchObject({ isError: false, result: { status: 'approval_required', tool: 'transfer_funds', approval_url: `${endpoints().approvals}?id=${approvalId}` } });
    expect(asked?.message).toContain(`${endpoints().approvals}?id=${approvalId}`);
    expect(unapproved).toMatchObject({ isError: false, result: { status: 'approval_pending' } });
    expect(stranger.status).toBe(404);
    expect(decision.status).toBe(200);
    expect(done).toMatchObject({ isError: false, result: { amount: 2500, to_account_id: destination.account_id } });
    expect(again).toMatchObject({ isError: false, result: { transaction_id: done?.result?.transaction_id } });
    const balances = await balancesOf([source, destination]);
    expect([balances.get(source.account_id), balances.get(destination.account_id)]).toEqual([97_500, 2500]);
  });
});
