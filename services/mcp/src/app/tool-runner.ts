/**
 * One MCP tool call, for one authenticated customer: check the arguments against the tool's
 * schema, run the tool's plan (lib/tools/plan.ts) by calling the services' own functions, and
 * answer with customer-ready text and structured content. Every way into the MCP server (stdio,
 * Streamable HTTP, AgentCore Gateway targets) calls this, with the customer its own
 * authentication established; no argument can name a customer.
 *
 * Money moves only after a confirmation this server enforces: the first call of a tool that
 * needs one answers the summary and a confirmation token (or, where the client supports MCP
 * elicitation, asks the customer directly); only a second call with that token, for the same
 * customer, tool and arguments, and while what it summarised is unchanged, sends the request.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CentliError } from '@centli/pure/errors';
import { isFailureType } from '@centli/schemas';
import { confirmationKey, confirmedRequestId, ConfirmationError, fingerprint, newConfirmationToken, newPendingConfirmation } from '@centli/tools/confirmation';
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import type { ServiceCaller } from '@centli/tools/adapters/service-caller';
import { planTool, QUERIES, type ToolAnswer, type ToolRequest } from '@centli/tools/plan';
import { checkToolArguments, isToolName, type ToolName } from '@centli/tools/registry';
import { describeAnswer, refusal, type Locale } from '@centli/tools/text';

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

export async function runTool(name: string, rawArgs: unknown, session: ToolSession, deps: ToolRunnerDeps): Promise<CallToolResult> {
  if (!isToolName(name)) return toolError(`Unknown tool ${name}.`, 'TOOL.UNKNOWN');
  const args = (rawArgs ?? {}) as Record<string, unknown>;
  const violation = checkToolArguments(name, args);
  if (violation) return toolError(`Invalid arguments: ${violation.message}.`, 'REQUEST.INVALID');

  const correlationId = `mcp-${deps.newId()}`;
  const answers: Record<string, ToolAnswer> = {};
  const call = async (request: ToolRequest, requestId: string): Promise<ToolAnswer> => {
    const detail = { ...request.detail, request_id: requestId, correlation_id: correlationId, user_id: session.userId };
    const replies = await deps.caller.call({ detailType: request.detailType, detail });
    const answer = replies.find((reply) => reply.detail.request_id === requestId) ?? replies[0];
    if (!answer) throw new Error(`${request.detailType} got no answer`);
    return answer;
  };

  try {
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = planTool(name, args, { locale: session.locale, answers });
      switch (next.kind) {
        case 'query':
          answers[next.key] = await call(next.request, `${correlationId}-${next.key}`);
          break;
        case 'ask':
          return toolError(next.choices.length > 0 ? `${next.text}\n${next.choices.map((c) => `- ${c.label}: ${JSON.stringify(c.args)}`).join('\n')}` : next.text, next.code);
        case 'refuse':
          return toolError(next.refusal.text || refusal(next.refusal.code, '', { locale: session.locale }), next.refusal.code);
        case 'send':
          return await finish(name, next.request, await call(next.request, `${correlationId}-${deps.newId().slice(0, 8)}`), { session, deps, answers, call });
        case 'confirm':
          return await confirm(name, args, next, { session, deps, answers, call, correlationId });
      }
    }
    throw new Error(`the plan of ${name} did not settle in ${MAX_STEPS} steps`);
  } catch (error) {
    if (error instanceof CentliError) return toolError(refusal(error.code, error.message, { locale: session.locale }), error.code);
    deps.log?.('tool call failed unexpectedly', { tool: name, correlation_id: correlationId, error: (error as Error).message });
    return toolError(session.locale === 'es' ? 'El servicio no está disponible en este momento; no se hizo nada. Intenta de nuevo.' : 'The service is unavailable right now; nothing was done. Please try again.', 'TOOL.UNAVAILABLE');
  }
}

interface RunState {
  session: ToolSession;
  deps: ToolRunnerDeps;
  answers: Record<string, ToolAnswer>;
  call: (request: ToolRequest, requestId: string) => Promise<ToolAnswer>;
}

async function confirm(name: ToolName, args: Record<string, unknown>, step: { summary: string; request: ToolRequest }, state: RunState & { correlationId: string }): Promise<CallToolResult> {
  const { session, deps } = state;
  const { confirmation_token: given, ...asked } = args;
  const binding = { userId: session.userId, tool: name, argsHash: fingerprint(asked), requestHash: fingerprint(step.request) };
  const now = deps.now();

  if (typeof given === 'string') {
    try {
      await deps.confirmations.consume(confirmationKey(given), binding, now);
    } catch (error) {
      if (error instanceof ConfirmationError) return toolError(refusal(error.code, error.message, { locale: session.locale }), error.code);
      throw error;
    }
    return sendConfirmed(name, step.request, confirmedRequestId(given), state);
  }

  const token = newConfirmationToken();
  const pending = newPendingConfirmation(token, binding, step.request, step.summary, now, state.correlationId);
  await deps.confirmations.create(pending);
  if (session.elicit) {
    const accepted = await session.elicit(step.summary);
    if (!accepted) return toolError(session.locale === 'es' ? 'Cancelado: no se hizo nada.' : 'Cancelled: nothing was done.', 'CONFIRMATION.DECLINED');
    try {
      await deps.confirmations.consume(pending.pk, binding, deps.now());
    } catch (error) {
      if (error instanceof ConfirmationError) return toolError(refusal(error.code, error.message, { locale: session.locale }), error.code);
      throw error;
    }
    return sendConfirmed(name, step.request, confirmedRequestId(token), state);
  }
  const expiresAt = new Date(pending.expires_at * 1000).toISOString();
  const hint =
    session.locale === 'es'
      ? `Nada se ha hecho aún. Si el cliente lo confirma, llama ${name} de nuevo con los mismos argumentos y "confirmation_token": "${token}" (válido hasta ${expiresAt}).`
      : `Nothing has happened yet. If the customer agrees, call ${name} again with the same arguments and "confirmation_token": "${token}" (valid until ${expiresAt}).`;
  return {
    content: [{ type: 'text', text: `${step.summary}\n${hint}` }],
    structuredContent: { status: 'confirmation_required', tool: name, summary: step.summary, confirmation_token: token, expires_at: expiresAt, request: step.request.detail },
  };
}

/**
 * Sends a confirmed request. Once it has gone out, "nothing was done" can no longer be promised:
 * if the service's answer is lost, the customer is told to check before asking again (the
 * request itself is idempotent on its id, so it can never apply twice).
 */
async function sendConfirmed(name: ToolName, request: ToolRequest, requestId: string, state: RunState): Promise<CallToolResult> {
  let answer: ToolAnswer;
  try {
    answer = await state.call(request, requestId);
  } catch (error) {
    state.deps.log?.('a confirmed request got no answer', { tool: name, request_id: requestId, error: (error as Error).message });
    return toolError(
      state.session.locale === 'es'
        ? 'No pude confirmar si se completó. Revisa tus movimientos (o el estado de la compra) antes de pedirlo de nuevo.'
        : 'I could not confirm whether it went through. Check your transactions (or the purchase status) before asking again.',
      'TOOL.OUTCOME_UNKNOWN',
    );
  }
  return finish(name, request, answer, state);
}

/** The tool's answer: a success as text plus structured content, a refusal as a tool error; a purchase is followed until it settles. */
async function finish(name: ToolName, request: ToolRequest, answer: ToolAnswer, state: RunState): Promise<CallToolResult> {
  const { session, deps } = state;
  const context = { locale: session.locale, answers: state.answers, request };
  if (answer.detailType === 'PURCHASE_STARTED') {
    const purchaseId = String(answer.detail.purchase_id);
    const deadline = deps.now().getTime() + deps.purchaseWaitMs;
    const pending: ToolAnswer = { detailType: 'PURCHASE_STATUS_RESPONSE', detail: { ...answer.detail, purchase_id: purchaseId, status: 'pending' } };
    delete pending.detail.started_at;
    for (let attempt = 1; ; attempt++) {
      await deps.sleep(Math.min(250 * attempt, 1000));
      let status: ToolAnswer;
      try {
        status = await state.call({ detailType: QUERIES.purchaseStatus, detail: { purchase_id: purchaseId } }, `${String(answer.detail.request_id)}-status-${attempt}`);
      } catch {
        // The purchase is under way whatever happens here: answer its id, never "nothing was done".
        return finish(name, request, pending, state);
      }
      const settled = status.detailType !== 'PURCHASE_STATUS_RESPONSE' || status.detail.status !== 'pending';
      if (settled || deps.now().getTime() >= deadline) return finish(name, request, status, state);
    }
  }
  if (isFailureType(answer.detailType)) return toolError(describeAnswer(answer, context), String(answer.detail.reason ?? 'TOOL.FAILED'));
  if (answer.detailType === 'PURCHASE_STATUS_RESPONSE' && answer.detail.status === 'failed') {
    return toolError(refusal(String(answer.detail.reason), String(answer.detail.message ?? ''), context), String(answer.detail.reason));
  }
  return { content: [{ type: 'text', text: describeAnswer(answer, context) }], structuredContent: answer.detail };
}

function toolError(text: string, code: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, _meta: { code } };
}
