/**
 * One MCP tool call, for one authenticated customer: the MCP door's thin adapter over the
 * tool-call core (lib/tools). It checks the arguments against the tool's schema, runs the tool's
 * plan by calling the services' own functions, and answers with the core's customer-ready text
 * and structured content. Every way into the MCP server (stdio, Streamable HTTP, AgentCore Gateway
 * targets) calls this, with the customer its own authentication established; no argument can
 * name a customer.
 *
 * Money moves only after a confirmation this server enforces: the first call of a tool that
 * needs one answers the summary and a confirmation token (or, where the client supports MCP
 * elicitation, asks the customer directly); only a second call with that token, for the same
 * customer, tool and arguments, and while what it summarised is unchanged, sends the request.
 * What the core does for every door, it does here too: one request-id scheme (ids.ts), one
 * confirmation record and its consumption (confirmation.ts), one failure test and every text
 * (text.ts).
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CentliError, invalidRequestParams } from '@centli/pure/errors';
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import type { ServiceCaller } from '@centli/tools/adapters/service-caller';
import { bindingFor, confirmationKey, confirmedRequestId, consumeConfirmation, openConfirmation, type ConfirmationBinding } from '@centli/tools/confirmation';
import { correlationIdFor, followUpRequestId, queryRequestId, sendRequestId, stamp } from '@centli/tools/ids';
import { planTool, QUERIES, type ToolAnswer, type ToolRequest } from '@centli/tools/plan';
import { checkToolArguments, isToolName, type ToolName } from '@centli/tools/registry';
import { refusal, say, tell, texts, type Locale } from '@centli/tools/text';
import { markedForAgent } from '@centli/tools/untrusted';

/** Who is calling, as the front door authenticated them. */
export interface ToolSession {
  userId: string;
  locale: Locale;
  /** Asks the customer to confirm through MCP elicitation; present only when the client supports it. */
  elicit?: (summary: string) => Promise<boolean>;
}

export interface ToolRunnerDeps {
  caller: ServiceCaller;
  confirmations: Pick<ConfirmationStore, 'create' | 'consume'>;
  now: () => Date;
  newId: () => string;
  sleep: (ms: number) => Promise<void>;
  /** How long a purchase is followed before answering its purchase_id as pending. */
  purchaseWaitMs: number;
  log?: (message: string, attributes?: Record<string, unknown>) => void;
}

export function defaultRunnerDeps(caller: ServiceCaller, confirmations: ToolRunnerDeps['confirmations']): ToolRunnerDeps {
  return {
    caller,
    confirmations,
    now: () => new Date(),
    newId: () => randomUUID(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    purchaseWaitMs: Number(process.env.MCP_PURCHASE_WAIT_MS ?? 8000),
  };
}

/** The most steps a plan takes (queries, then its one request); a plan never needs more. */
const MAX_STEPS = 8;

interface RunState {
  session: ToolSession;
  deps: ToolRunnerDeps;
  correlationId: string;
  answers: Record<string, ToolAnswer>;
  call: (request: ToolRequest, requestId: string) => Promise<ToolAnswer>;
}

export async function runTool(name: string, rawArgs: unknown, session: ToolSession, deps: ToolRunnerDeps): Promise<CallToolResult> {
  const { locale } = session;
  if (!isToolName(name)) return toolError(say('TOOL.UNKNOWN', { tool: name }, locale), 'TOOL.UNKNOWN');
  const args = (rawArgs ?? {}) as Record<string, unknown>;
  const violation = checkToolArguments(name, args);
  if (violation) return toolError(say('REQUEST.INVALID', invalidRequestParams(violation), locale), 'REQUEST.INVALID');

  const correlationId = correlationIdFor('mcp', deps.newId());
  const state: RunState = {
    session,
    deps,
    correlationId,
    answers: {},
    call: async (request, requestId) => {
      const replies = await deps.caller.call(stamp(request, { requestId, correlationId, userId: session.userId }));
      const answer = replies.find((reply) => reply.detail.request_id === requestId) ?? replies[0];
      if (!answer) throw new Error(`${request.detailType} got no answer`);
      return answer;
    },
  };

  try {
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = planTool(name, args, { locale, answers: state.answers });
      switch (next.kind) {
        case 'query':
          state.answers[next.key] = await state.call(next.request, queryRequestId(correlationId, next.key));
          break;
        case 'ask':
          return toolError(next.choices.length > 0 ? `${next.text}\n${next.choices.map((c) => `- ${c.label}: ${JSON.stringify(c.args)}`).join('\n')}` : next.text, next.code);
        case 'refuse':
          return toolError(next.refusal.text, next.refusal.code);
        case 'send':
          return await finish(next.request, await state.call(next.request, sendRequestId(correlationId)), state);
        case 'confirm':
          return await confirm(name, args, next, state);
      }
    }
    throw new Error(`the plan of ${name} did not settle in ${MAX_STEPS} steps`);
  } catch (error) {
    if (error instanceof CentliError) return toolError(refusal({ reason: error.code, params: error.params, message: error.message }, { locale }), error.code);
    deps.log?.('tool call failed unexpectedly', { tool: name, correlation_id: correlationId, error: (error as Error).message });
    return toolError(say('TOOL.UNAVAILABLE', {}, locale), 'TOOL.UNAVAILABLE');
  }
}

/**
 * A tool that needs the customer's yes: with a token, the token is consumed (once, for exactly
 * this) and the request sent; without one, a confirmation is opened and either asked through
 * elicitation or answered as the summary and its token.
 */
async function confirm(name: ToolName, args: Record<string, unknown>, step: { summary: string; request: ToolRequest }, state: RunState): Promise<CallToolResult> {
  const { session, deps } = state;
  const binding = bindingFor(session.userId, name, args, step.request);
  const given = args.confirmation_token;
  if (typeof given === 'string') return consumeThenSend(confirmationKey(given), binding, step.request, confirmedRequestId(given), state);

  const opened = openConfirmation(binding, step.request, step.summary, deps.now(), state.correlationId);
  await deps.confirmations.create(opened.pending);
  if (session.elicit) {
    if (!(await session.elicit(step.summary))) return toolError(say('CONFIRMATION.DECLINED', {}, session.locale), 'CONFIRMATION.DECLINED');
    return consumeThenSend(opened.key, binding, step.request, opened.requestId, state);
  }
  return {
    content: [{ type: 'text', text: `${step.summary}\n${texts(session.locale).confirmationHint(name, opened.token, opened.expiresAt)}` }],
    structuredContent: { status: 'confirmation_required', tool: name, summary: step.summary, confirmation_token: opened.token, expires_at: opened.expiresAt, request: step.request.detail },
  };
}

async function consumeThenSend(key: string, binding: ConfirmationBinding, request: ToolRequest, requestId: string, state: RunState): Promise<CallToolResult> {
  const consumed = await consumeConfirmation(state.deps.confirmations, key, binding, state.deps.now(), state.session.locale);
  if (!consumed.ok) return toolError(consumed.text, consumed.code);
  return sendConfirmed(request, requestId, state);
}

/**
 * Sends a confirmed request. Once it has gone out, "nothing was done" can no longer be promised:
 * if the service's answer is lost, the customer is told to check before asking again (the
 * request itself is idempotent on its id, so it can never apply twice).
 */
async function sendConfirmed(request: ToolRequest, requestId: string, state: RunState): Promise<CallToolResult> {
  let answer: ToolAnswer;
  try {
    answer = await state.call(request, requestId);
  } catch (error) {
    state.deps.log?.('a confirmed request got no answer', { request_id: requestId, error: (error as Error).message });
    return toolError(say('TOOL.OUTCOME_UNKNOWN', {}, state.session.locale), 'TOOL.OUTCOME_UNKNOWN');
  }
  return finish(request, answer, state);
}

/** The tool's answer, told by the core: a success as text plus structured content, a refusal as a tool error; a purchase is followed until it settles. */
async function finish(request: ToolRequest, answer: ToolAnswer, state: RunState): Promise<CallToolResult> {
  const { deps } = state;
  if (answer.detailType === 'PURCHASE_STARTED') {
    const purchaseId = String(answer.detail.purchase_id);
    const deadline = deps.now().getTime() + deps.purchaseWaitMs;
    const pending: ToolAnswer = { detailType: 'PURCHASE_STATUS_RESPONSE', detail: { ...answer.detail, purchase_id: purchaseId, status: 'pending' } };
    delete pending.detail.started_at;
    for (let attempt = 1; ; attempt++) {
      await deps.sleep(Math.min(250 * attempt, 1000));
      let status: ToolAnswer;
      try {
        status = await state.call({ detailType: QUERIES.purchaseStatus, detail: { purchase_id: purchaseId } }, followUpRequestId(state.correlationId, 'status', attempt));
      } catch {
        // The purchase is under way whatever happens here: answer its id, never "nothing was done".
        return finish(request, pending, state);
      }
      const settled = status.detailType !== 'PURCHASE_STATUS_RESPONSE' || status.detail.status !== 'pending';
      if (settled || deps.now().getTime() >= deadline) return finish(request, status, state);
    }
  }
  const told = tell(answer, { locale: state.session.locale, answers: state.answers, request });
  if (told.failed) return toolError(told.text, told.code ?? 'TOOL.FAILED');
  return { content: [{ type: 'text', text: told.text }], structuredContent: markedForAgent(answer) };
}

function toolError(text: string, code: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, _meta: { code } };
}
