/**
 * The MCP server's wiring in a running function or process: its service caller (the services'
 * own functions, as `centli.mcp`), its approvals table and approval page, its passkeys, the token verifier, the KMS identity
 * MAC, and the service's logger, metrics and tracer, which every MCP handler shares. Created once
 * per container, on first use. The passkey ceremonies (./passkey-runtime.ts) and the KMS identity
 * MAC (./identity-runtime.ts) live apart, so only the handlers that use them bundle their libraries.
 *
 * Tool calls are observed here (`runObservedTool`): each is counted as `ToolCalls` by tool,
 * outcome and code, and its correlation id (`mcp-…`, which every service it calls logs) is put
 * on the invocation's log lines and trace from the first call it makes.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { authSettingsFromEnv, TokenVerifier } from '@centli/kit/auth';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { correlate, countOutcome, type Observability, type Outcome } from '@centli/kit/observability';
import { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import { LambdaServiceCaller, type ServiceCaller } from '@centli/tools/adapters/service-caller';
import { isToolName } from '@centli/tools/registry';
import { approvalStore, logger, observability } from './shared-runtime';
import { defaultRunnerDeps, runTool, type ToolRunnerDeps, type ToolSession } from './tool-runner';

/** The source of every event the MCP server sends: one of the two front doors the bus trusts. */
export const MCP_SOURCE = 'centli.mcp';

export { approvalStore, logger, observability, tokenVerifier } from './shared-runtime';

let deps: ToolRunnerDeps | undefined;

export function runnerDeps(): ToolRunnerDeps {
  if (!deps) {
    const services = new LambdaServiceCaller({ stage: requireEnv('CENTLI_STAGE'), source: MCP_SOURCE, client: awsClient(() => new LambdaClient({ maxAttempts: 3 })) });
    const rates = new RateLimiter({ tableName: requireEnv('RATE_LIMITS_TABLE'), log: (message, attributes) => logger.warn(message, attributes ?? {}) });
    deps = defaultRunnerDeps(correlatingCaller(services, observability), approvalStore(), requireEnv('CENTLI_APPROVAL_PAGE'), rates);
    deps.log = (message, attributes) => logger.error(message, attributes ?? {});
  }
  return deps;
}

/** A caller that, before each request goes out, makes its correlation id the invocation's. */
export function correlatingCaller(caller: ServiceCaller, obs: Pick<Observability, 'logger' | 'tracer'>): ServiceCaller {
  return {
    call: (request) => {
      correlate(obs, { correlation_id: request.detail.correlation_id });
      return caller.call(request);
    },
  };
}

const resourceVerifiers = new Map<string, TokenVerifier>();

/**
 * The verifier of the MCP endpoint's tokens: the stage's, taking also a token whose audience is
 * the endpoint itself (RFC 8707) or, having no `aud`, whose `client_id` is the fixed MCP app client
 * the authorization front signs customers in with (CENTLI_MCP_OAUTH_CLIENT_ID: Cognito's access
 * tokens), of the use CENTLI_MCP_TOKEN_USE names (an OAuth client's access token; the stage's own
 * CENTLI_AUTH_TOKEN_USE when unset); that it is bound to the endpoint is the endpoint's own check
 * (../domain/authorization.ts).
 */
export function resourceTokenVerifier(resource: string, env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  let found = resourceVerifiers.get(resource);
  if (!found) {
    const settings = authSettingsFromEnv(env, { tokenUseVariable: 'CENTLI_MCP_TOKEN_USE' });
    const mcpClient = env.CENTLI_MCP_OAUTH_CLIENT_ID ? [env.CENTLI_MCP_OAUTH_CLIENT_ID] : [];
    found = new TokenVerifier({ ...settings, audiences: settings.audiences.length > 0 ? [...settings.audiences, resource, ...mcpClient] : [] });
    resourceVerifiers.set(resource, found);
  }
  return found;
}

/** Codes that say the tool could not find out or could not act, rather than that it was refused. */
const FAILURE_CODES = new Set(['TOOL.UNAVAILABLE', 'TOOL.OUTCOME_UNKNOWN']);

/** How a tool call ended, for `ToolCalls`: its outcome and, when it did not complete, its code. */
export function toolOutcome(result: CallToolResult): { outcome: Outcome; code?: string } {
  if (result.isError) {
    const code = typeof result._meta?.code === 'string' ? result._meta.code : undefined;
    return { outcome: code !== undefined && FAILURE_CODES.has(code) ? 'failed' : 'refused', ...(code === undefined ? {} : { code }) };
  }
  const status = (result.structuredContent as { status?: unknown } | undefined)?.status;
  if (status === 'approval_required' || status === 'approval_pending') return { outcome: 'awaiting_approval' };
  return { outcome: 'completed' };
}

/**
 * `runTool`, observed: the tool is put on the log lines and the trace, and the call counted as
 * `ToolCalls` under [service, Outcome], [service, Outcome, Tool] and, with a code,
 * [service, Outcome, Code]. A name that is not a registry tool is counted as `unknown`: the
 * caller chose it.
 */
export async function runObservedTool(name: string, args: unknown, session: ToolSession, runner: ToolRunnerDeps, obs: Observability = observability): Promise<CallToolResult> {
  const tool = isToolName(name) ? name : 'unknown';
  correlate(obs, { tool });
  let result: CallToolResult;
  try {
    result = await runTool(name, args, session, runner);
  } catch (error) {
    countOutcome(obs, 'ToolCalls', 'failed', { Tool: tool });
    throw error;
  }
  const { outcome, code } = toolOutcome(result);
  countOutcome(obs, 'ToolCalls', outcome, { Tool: tool, ...(code === undefined ? {} : { Code: code }) });
  return result;
}
