/**
 * The Lambda target of Bedrock AgentCore Gateway for every Centli tool. The Gateway invokes it
 * with the tool's arguments as the event, flat, and the tool's name as
 * `context.clientContext.custom.bedrockAgentCoreToolName` (`<target>___<tool>`), and no caller
 * identity: the customer comes from `_centli_identity`, which the Gateway's interceptor adds and
 * MACs with the KMS identity key; this target verifies it with KMS and acts for nobody it cannot
 * verify. The tool then runs exactly as over stdio or HTTP (`runTool`), and the answer is
 * returned as JSON the Gateway hands to the agent: `{ isError, message, result? }`.
 */
// A tool call's arguments are all it validates (lib/tools/registry.ts): every tool's, as standalone code.
import '@centli/schemas/validators/for/tool-arguments';
import type { Context } from 'aws-lambda';
import { correlate, observed, recordOutcome } from '@centli/kit/observability';
import { bilingual, say } from '@centli/tools/text';
import type { IdentityMac } from '@centli/kit/identity-mac';
import { identityMessage, identityProblem, splitIdentity, toolOf, type GatewayIdentity } from '../domain/gateway-identity';
import { identityMac } from '../app/identity-runtime';
import { logger, observability, runnerDeps, runObservedTool } from '../app/runtime';
import type { ToolRunnerDeps } from '../app/tool-runner';

export interface TargetAnswer {
  isError: boolean;
  /** Customer-ready text. */
  message: string;
  /** The tool's structured content, when it succeeded. */
  result?: Record<string, unknown>;
  /** A stable code when it did not. */
  code?: string;
}

export interface TargetDeps {
  mac: Pick<IdentityMac, 'verify'>;
  runner: ToolRunnerDeps;
  now: () => Date;
}

let defaults: TargetDeps | undefined;
const defaultDeps = (): TargetDeps => (defaults ??= { mac: identityMac(), runner: runnerDeps(), now: () => new Date() });

export async function callTarget(event: Record<string, unknown>, qualifiedTool: string, deps: TargetDeps = defaultDeps()): Promise<TargetAnswer> {
  const { args, identity } = splitIdentity(event ?? {});
  const problem = identityProblem(identity, qualifiedTool, args, deps.now());
  // Nobody verified: no language is known either.
  const refused: TargetAnswer = { isError: true, code: 'AUTH.UNAUTHENTICATED', message: bilingual((locale) => say('AUTH.UNAUTHENTICATED', { gateway: true }, locale)) };
  if (problem) {
    logger.warn('refused a tool call without a verified customer', { tool: qualifiedTool, reason: problem });
    return refused;
  }
  const vouched = identity as GatewayIdentity;
  if (!(await deps.mac.verify(identityMessage(vouched), vouched.mac))) {
    logger.warn('refused a tool call whose identity MAC does not verify', { tool: qualifiedTool });
    return refused;
  }
  correlate(observability, { user_id: vouched.user_id });
  const result = await runObservedTool(toolOf(qualifiedTool), args, { userId: vouched.user_id, locale: vouched.locale }, deps.runner);
  const message = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return {
    isError: result.isError === true,
    message,
    ...(result.structuredContent ? { result: result.structuredContent } : {}),
    ...(result.isError && typeof result._meta?.code === 'string' ? { code: result._meta.code } : {}),
  };
}

async function target(event: Record<string, unknown>, context: Context): Promise<TargetAnswer> {
  correlate(observability, { correlation_id: context.awsRequestId });
  const qualified = context.clientContext?.custom?.bedrockAgentCoreToolName;
  if (typeof qualified !== 'string' || qualified === '') {
    recordOutcome(context, 'refused', 'TOOL.UNKNOWN');
    return { isError: true, code: 'TOOL.UNKNOWN', message: bilingual((locale) => say('TOOL.UNKNOWN', {}, locale)) };
  }
  const answer = await callTarget(event, qualified);
  // The tool call itself is counted as ToolCalls; the invocation is refused only when the target acted for nobody.
  if (answer.isError && answer.code === 'AUTH.UNAUTHENTICATED') recordOutcome(context, 'refused', answer.code);
  return answer;
}

export const handler = observed(target, observability, { handler: 'agentcore-target' });
