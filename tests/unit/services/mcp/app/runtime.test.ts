import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'aws-lambda';
import { observabilityFor, tracer } from '@centli/kit/observability';
import { handler as interceptor } from '../../../../../services/mcp/src/handlers/agentcore-interceptor';
import { handler as target } from '../../../../../services/mcp/src/handlers/agentcore-target';
import { correlatingCaller, runObservedTool, toolOutcome } from '../../../../../services/mcp/src/app/runtime';
import type { ToolSession } from '../../../../../services/mcp/src/app/tool-runner';
import { dimensionsOf, metricLines, printed, traceAsInLambda } from '../../../lib/kit/output';
import { balances, holders, FakeClock, FakeApprovalStore, fakeRunnerDeps, FakeServiceCaller, reply, resolvesHermano, type Responder } from '../fakes';

const ANA: ToolSession = { userId: 'user-ana', locale: 'es' };
const TRANSFER = { beneficiary: 'mi hermano', amount_text: '100 pesos' };

function setup(overrides: Record<string, Responder> = {}) {
  const obs = observabilityFor('mcp');
  const caller = new FakeServiceCaller({ BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders, ALIAS_RESOLUTION_REQUEST: resolvesHermano, ...overrides });
  const deps = fakeRunnerDeps(correlatingCaller(caller, obs), new FakeApprovalStore(), new FakeClock());
  return { obs, caller, deps };
}

describe('runObservedTool', () => {
  it.each([
    ['a balance', 'get_balance', {}, {}, { Outcome: 'completed', Tool: 'get_balance' }],
    ['a transfer waiting for its approval', 'transfer_funds', TRANSFER, {}, { Outcome: 'awaiting_approval', Tool: 'transfer_funds' }],
    [
      'a refusal from the service',
      'get_balance',
      {},
      { BALANCE_QUERY: reply('BALANCE_FAILED', { reason: 'BALANCE.ACCOUNT_NOT_FOUND', message: 'That account is not one of your accounts.' }) },
      { Outcome: 'refused', Tool: 'get_balance', Code: 'BALANCE.ACCOUNT_NOT_FOUND' },
    ],
    ['arguments the tool refuses', 'get_balance', { account_id: 7 }, {}, { Outcome: 'refused', Tool: 'get_balance', Code: 'REQUEST.INVALID' }],
    [
      'a service that is down',
      'get_balance',
      {},
      {
        BALANCE_QUERY: () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
      { Outcome: 'failed', Tool: 'get_balance', Code: 'TOOL.UNAVAILABLE' },
    ],
    ['a tool the registry does not have (named by the caller)', 'wire_money', {}, {}, { Outcome: 'refused', Tool: 'unknown', Code: 'TOOL.UNKNOWN' }],
  ])('counts %s as one ToolCalls by tool, outcome and code', async (_, tool, args, overrides, expected) => {
    // Act
    const output = await printed(async () => {
      const { obs, deps } = setup(overrides);
      await runObservedTool(tool, args, ANA, deps, obs);
    });

    // Assess
    const lines = metricLines(output, 'ToolCalls');
    expect(lines).toHaveLength(1);
    expect(dimensionsOf(lines[0]!).values).toEqual({ service: 'mcp', ...expected });
  });

  it('puts the tool and, from its first request, the tool call’s correlation id (the one every service logs) on the log lines', async () => {
    // Act
    let correlationIds: unknown[] = [];
    const output = await printed(async () => {
      const { obs, caller, deps } = setup();
      obs.logger.info('request received');
      await runObservedTool('get_balance', {}, ANA, deps, obs);
      obs.logger.info('request answered');
      correlationIds = caller.requests.map((request) => request.detail.correlation_id);
    });

    // Assess
    expect(correlationIds).toEqual([expect.stringMatching(/^mcp-/)]);
    expect(output.logs.map((line) => [line.message, line.correlation_id, line.tool])).toEqual([
      ['request received', undefined, undefined],
      ['request answered', correlationIds[0], 'get_balance'],
    ]);
  });
});

describe('toolOutcome', () => {
  const result = (fields: Partial<CallToolResult>): CallToolResult => ({ content: [{ type: 'text', text: '…' }], ...fields });

  it.each([
    ['an answer', result({ structuredContent: { accounts: [] } }), { outcome: 'completed' }],
    ['a pending purchase (its id is the answer)', result({ structuredContent: { purchase_id: 'pur_1', status: 'pending' } }), { outcome: 'completed' }],
    ['an approval to give', result({ structuredContent: { status: 'approval_required' } }), { outcome: 'awaiting_approval' }],
    ['an approval not given yet', result({ structuredContent: { status: 'approval_pending' } }), { outcome: 'awaiting_approval' }],
    ['a refusal', result({ isError: true, _meta: { code: 'TRANSFER.INSUFFICIENT_FUNDS' } }), { outcome: 'refused', code: 'TRANSFER.INSUFFICIENT_FUNDS' }],
    ['a question back', result({ isError: true, _meta: { code: 'TOOL.BENEFICIARY_AMBIGUOUS' } }), { outcome: 'refused', code: 'TOOL.BENEFICIARY_AMBIGUOUS' }],
    ['an unavailable service', result({ isError: true, _meta: { code: 'TOOL.UNAVAILABLE' } }), { outcome: 'failed', code: 'TOOL.UNAVAILABLE' }],
    ['a confirmed request with no answer', result({ isError: true, _meta: { code: 'TOOL.OUTCOME_UNKNOWN' } }), { outcome: 'failed', code: 'TOOL.OUTCOME_UNKNOWN' }],
  ])('reads %s', (_, toolResult, expected) => {
    expect(toolOutcome(toolResult)).toEqual(expected);
  });
});

describe('the AgentCore handlers', () => {
  afterEach(() => jest.restoreAllMocks());

  const context = (fields: Partial<Context> = {}) =>
    ({ functionName: 'centli-mcp-test-agentcore-target', awsRequestId: 'aws-req-1', getRemainingTimeInMillis: () => 10_000, ...fields }) as unknown as Context;

  it('count an invocation the Gateway did not name a tool for as refused, TOOL.UNKNOWN', async () => {
    const output = await printed(async () => {
      await target({}, context());
    });

    expect(dimensionsOf(metricLines(output, 'Invocations')[0]!).values).toEqual({ service: 'mcp', Handler: 'agentcore-target', Outcome: 'refused', Code: 'TOOL.UNKNOWN' });
  });

  it('count a request the interceptor passes unchanged as completed, and annotate its trace with the invocation’s id', async () => {
    // Prepare
    const facade = traceAsInLambda(tracer());

    // Act
    const output = await printed(async () => {
      await interceptor({ interceptorInputVersion: '1.0', mcp: { gatewayRequest: { headers: {}, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } } } }, context({ awsRequestId: 'aws-req-7' }));
    }, { POWERTOOLS_METRICS_DISABLED: 'false', CENTLI_IDENTITY_KEY: 'alias/centli-identity-test' });

    // Assess
    expect(dimensionsOf(metricLines(output, 'Invocations')[0]!).values).toEqual({ service: 'mcp', Handler: 'agentcore-interceptor', Outcome: 'completed' });
    expect(facade.subsegments[0]?.annotations).toEqual(expect.objectContaining({ correlation_id: 'aws-req-7', Service: 'mcp' }));
  });
});
