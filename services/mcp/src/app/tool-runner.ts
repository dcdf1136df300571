/**
 * One MCP tool call, for one authenticated customer: the MCP door's thin adapter over the
 * tool-call core (lib/tools). It checks the arguments against the tool's schema, runs the tool's
 * plan by calling the services' own functions, and answers with the core's customer-ready text
 * and structured content. Every way into the MCP server (stdio, Streamable HTTP, AgentCore Gateway
 * targets) calls this, with the customer its own authentication established; no argument can
 * name a customer.
 *
 * The customer says yes, never the agent. A tool that moves money, changes payees or lets a card
 * be used answers its first call with an approval (approval.ts): a link to Centli's approval page,
 * where the customer, signed in as themselves, approves or declines exactly what the summary
 * shows. Where the client declared URL-mode elicitation the same link goes as MCP's
 * URLElicitationRequired error; where it can ask its user in a form (a desktop client over
 * stdio), the customer answers in that dialog, unless the operation is above their MTU: only the
 * page can take the second factor it needs, so the link goes instead, and the approved request
 * carries the factor to the service. Nothing in an answer completes the operation: the
 * agent calls again (with the approval_id, or the same arguments) and the operation runs only if
 * the customer approved, once; a later call tells what happened. What the core does for every
 * door, it does here too: one request-id scheme (ids.ts), one failure test and every text
 * (text.ts).
 */
import { randomUUID } from 'node:crypto';
import { McpError, UrlElicitationRequiredError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CentliError, invalidRequestParams } from '@centli/pure/errors';
import type { RefusalCode } from '@centli/pure/refusals';
import { rateKindOf } from '@centli/pure/rate-limit';
import type { ApprovalStore } from '@centli/tools/adapters/approval-store';
import type { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import type { ServiceCaller } from '@centli/tools/adapters/service-caller';
import { approvalState, approvalUrl, approvedRequestId, argsHashOf, isApprovalId, openApproval, requestToRun, type Approval } from '@centli/tools/approval';
import { correlationIdFor, followUpRequestId, queryRequestId, sendRequestId, stamp } from '@centli/tools/ids';
import { planTool, QUERIES, queryLocks, type ToolAnswer, type ToolRequest } from '@centli/tools/plan';
import { checkToolArguments, isToolName, toolSpec, type ToolName } from '@centli/tools/registry';
import { followSpeiTransfer } from '@centli/tools/follow';
import { refusal, say, tell, texts, type Locale } from '@centli/tools/text';
import { markedForAgent } from '@centli/tools/untrusted';

/** Who is calling, as the front door authenticated them, and how their client can ask them. */
export interface ToolSession {
  userId: string;
  locale: Locale;
  /** Asks the customer in their client's own dialog (MCP form elicitation); present only when the client supports it. */
  elicit?: (summary: string) => Promise<boolean>;
  /** The client declared URL-mode elicitation: an approval's link goes as MCP's URLElicitationRequired error. */
  urlElicitation?: boolean;
}

export interface ToolRunnerDeps {
  caller: ServiceCaller;
  approvals: Pick<ApprovalStore, 'open' | 'get' | 'current' | 'decide' | 'use'>;
  /** Centli's approval page (`https://<site>/approve.html`). */
  approvalPage: string;
  now: () => Date;
  newId: () => string;
  sleep: (ms: number) => Promise<void>;
  /** How long a purchase (or a SPEI transfer) is followed before answering its purchase_id as pending (its transfer_id as under way). */
  purchaseWaitMs: number;
  /** The customer's per-minute limits, shared with every door (lib/pure/rate-limit.ts); none: unlimited (unit tests of other things). */
  rates?: Pick<RateLimiter, 'take'>;
  log?: (message: string, attributes?: Record<string, unknown>) => void;
}

export function defaultRunnerDeps(caller: ServiceCaller, approvals: ToolRunnerDeps['approvals'], approvalPage: string, rates?: ToolRunnerDeps['rates']): ToolRunnerDeps {
  return {
    caller,
    approvals,
    approvalPage,
    ...(rates ? { rates } : {}),
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
    // An operation the customer must approve: an approval this call names, or one the same
    // arguments opened, decides it before anything is planned again; what runs is what was approved.
    if (toolSpec(name).confirmation) {
      const named = args.approval_id;
      if (isApprovalId(named)) return await settle(name, args, await deps.approvals.get(named), state);
      // The same arguments again without the id (a client retrying after URL elicitation): only a
      // live approval answers it; once used, declined or expired, it is a new request.
      const live = await deps.approvals.current(session.userId, name, argsHashOf(args));
      const liveState = approvalState(live, { userId: session.userId, tool: name, args }, deps.now());
      if (liveState === 'pending' || liveState === 'approved') return await settle(name, args, live, state);
    }
    // A new request (a retry of an operation already asked for was settled above): it counts.
    const limited = await rateLimited(name, state);
    if (limited) return limited;
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = planTool(name, args, { locale, answers: state.answers, now: deps.now() });
      switch (next.kind) {
        case 'query':
          try {
            state.answers[next.key] = await state.call(next.request, queryRequestId(correlationId, next.key));
          } catch (error) {
            // A lost card's lock may have gone through even if its answer was lost: "nothing was done" would be untrue.
            if (!queryLocks(next.request.detailType)) throw error;
            deps.log?.('a lost card’s lock got no answer', { tool: name, correlation_id: correlationId, error: (error as Error).message });
            return toolError(say('CARD.LOCK_UNCONFIRMED', {}, locale), 'CARD.LOCK_UNCONFIRMED');
          }
          break;
        case 'ask':
          return toolError(next.choices.length > 0 ? `${next.text}\n${next.choices.map((c) => `- ${c.label}: ${JSON.stringify(c.args)}`).join('\n')}` : next.text, next.code);
        case 'refuse':
          return toolError(next.refusal.text, next.refusal.code);
        case 'send':
          return await finish(next.request, await state.call(next.request, sendRequestId(correlationId)), state);
        case 'confirm':
          return await askApproval(name, args, next, state);
      }
    }
    throw new Error(`the plan of ${name} did not settle in ${MAX_STEPS} steps`);
  } catch (error) {
    // URL elicitation is the protocol's own answer, not a tool result.
    if (error instanceof McpError) throw error;
    if (error instanceof CentliError) return toolError(refusal({ reason: error.code, params: error.params, message: error.message }, { locale }), error.code);
    deps.log?.('tool call failed unexpectedly', { tool: name, correlation_id: correlationId, error: (error as Error).message });
    return toolError(say('TOOL.UNAVAILABLE', {}, locale), 'TOOL.UNAVAILABLE');
  }
}

/**
 * The first call of an operation the customer must approve: the approval is opened (bound to the
 * customer, the tool, the arguments and the request the summary shows) and handed over the way
 * the client can take it: the customer's own dialog, a URL elicitation, or the link in the answer.
 */
async function askApproval(name: ToolName, args: Record<string, unknown>, step: { summary: string; request: ToolRequest; stepUp?: boolean }, state: RunState): Promise<CallToolResult> {
  const { session, deps } = state;
  const { approval, pointer } = openApproval(
    { userId: session.userId, tool: name, args, request: step.request, summary: step.summary, answers: state.answers, locale: session.locale, stepUp: step.stepUp, correlationId: state.correlationId },
    deps.now(),
  );
  await deps.approvals.open(approval, pointer);
  // Above the customer's MTU the client's dialog will not do: it cannot give the second factor, which only the page asks for.
  if (session.elicit && !step.stepUp) {
    // The customer's own client asks them: their answer is the decision.
    const yes = await session.elicit(step.summary);
    const decided = await deps.approvals.decide(approval.approval_id, session.userId, yes ? 'approved' : 'declined', 'elicitation', deps.now());
    return settle(name, args, typeof decided === 'string' ? await deps.approvals.get(approval.approval_id) : decided, state);
  }
  const url = approvalUrl(deps.approvalPage, approval.approval_id);
  if (session.urlElicitation) {
    throw new UrlElicitationRequiredError([{ mode: 'url', elicitationId: approval.approval_id, url, message: step.summary }], texts(session.locale).approvalHint(name, url, approval.approval_id, isoOf(approval)));
  }
  return approvalAnswer('approval_required', approval, url, `${step.summary}\n${texts(session.locale).approvalHint(name, url, approval.approval_id, isoOf(approval))}`);
}

/** A call that names an approval (or repeats its arguments): the operation runs only if the customer approved it, once. */
async function settle(name: ToolName, args: Record<string, unknown>, approval: Approval | undefined, state: RunState): Promise<CallToolResult> {
  const { session, deps } = state;
  const refused = (code: RefusalCode, status?: string) => ({ ...toolError(say(code, {}, session.locale), code), ...(status ? { structuredContent: { status } } : {}) });
  switch (approvalState(approval, { userId: session.userId, tool: name, args }, deps.now())) {
    case 'invalid':
      return refused('APPROVAL.INVALID');
    case 'altered':
      return refused('APPROVAL.ALTERED');
    case 'expired':
      return refused('APPROVAL.EXPIRED', 'expired');
    case 'declined':
      return refused('APPROVAL.DECLINED', 'declined');
    case 'pending': {
      const url = approvalUrl(deps.approvalPage, (approval as Approval).approval_id);
      return approvalAnswer('approval_pending', approval as Approval, url, `${(approval as Approval).summary}\n${texts(session.locale).approvalPending(url)}`);
    }
    case 'approved':
    case 'used': {
      const approved = approval as Approval;
      // The one call that marks it used runs it; any other re-sends the same request, which the service answers with its first outcome.
      if (approved.status === 'approved' && !(await deps.approvals.use(approved.approval_id, session.userId, deps.now()))) {
        const now = await deps.approvals.get(approved.approval_id);
        if (now?.status !== 'used') return settle(name, args, now, state);
      }
      return sendApproved(requestToRun(approved), approvedRequestId(approved.approval_id), { ...state, answers: approved.answers ?? {} });
    }
  }
}

/** The customer's limit of this kind of call is spent for this minute: the refusal, saying when to come back; else undefined. */
async function rateLimited(name: ToolName, state: RunState): Promise<CallToolResult | undefined> {
  const { session, deps } = state;
  if (!deps.rates) return undefined;
  const kind = rateKindOf(toolSpec(name));
  const decision = await deps.rates.take(session.userId, kind, deps.now());
  if (decision.allowed) return undefined;
  deps.log?.('a customer went over their rate limit', { tool: name, kind, retry_after: decision.retryAfter, correlation_id: state.correlationId });
  const refused = toolError(say('RATE.LIMITED', { retry_after: decision.retryAfter, kind }, session.locale), 'RATE.LIMITED');
  return { ...refused, _meta: { ...refused._meta, retry_after: decision.retryAfter } };
}

function isoOf(approval: Approval): string {
  return new Date(approval.expires_at * 1000).toISOString();
}

/** An approval to hand the customer: nothing in it completes the operation. */
function approvalAnswer(status: 'approval_required' | 'approval_pending', approval: Approval, url: string, text: string): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: { status, tool: approval.tool, approval_id: approval.approval_id, approval_url: url, expires_at: isoOf(approval), summary: approval.summary },
  };
}

/**
 * Sends an approved request. Once it has gone out, "nothing was done" can no longer be promised:
 * if the service's answer is lost, the customer is told to check before asking again (the
 * request itself is idempotent on its id, so it can never apply twice).
 */
async function sendApproved(request: ToolRequest, requestId: string, state: RunState): Promise<CallToolResult> {
  let answer: ToolAnswer;
  try {
    answer = await state.call(request, requestId);
  } catch (error) {
    state.deps.log?.('an approved request got no answer', { request_id: requestId, error: (error as Error).message });
    return toolError(say('TOOL.OUTCOME_UNKNOWN', {}, state.session.locale), 'TOOL.OUTCOME_UNKNOWN');
  }
  return finish(request, answer, state);
}

/**
 * The tool's answer, told by the core: a success as text plus structured content, a refusal as a
 * tool error; a purchase is followed until it settles, a SPEI transfer until it is sent.
 */
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
  if (answer.detailType === 'SPEI_TRANSFER_STARTED') {
    // Followed until the order is sent (its clave de rastreo), or comes back, or the wait is over.
    const followed = await followSpeiTransfer(answer, request, {
      ask: (query, attempt) => state.call(query, followUpRequestId(state.correlationId, 'status', attempt)),
      now: deps.now,
      sleep: deps.sleep,
      waitMs: deps.purchaseWaitMs,
    });
    const told = tell(followed, { locale: state.session.locale, answers: state.answers, request, later: 'ask' });
    if (told.failed) return toolError(told.text, told.code ?? 'TOOL.FAILED');
    const text = `${told.text}\n${texts(state.session.locale).speiFollowUp(String(answer.detail.transfer_id))}`;
    return { content: [{ type: 'text', text }], structuredContent: markedForAgent(followed) };
  }
  const told = tell(answer, { locale: state.session.locale, answers: state.answers, request, later: 'ask' });
  if (told.failed) return toolError(told.text, told.code ?? 'TOOL.FAILED');
  return { content: [{ type: 'text', text: told.text }], structuredContent: markedForAgent(answer) };
}

function toolError(text: string, code: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, _meta: { code } };
}
