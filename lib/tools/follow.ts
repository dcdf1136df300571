/**
 * What the doors that answer once (MCP, the phone) do after a SPEI transfer has started: the
 * transfer's status is asked for (TRANSFER_STATUS_QUERY, by its transfer id) until the order is
 * sent, or comes back, or the wait is over. The chat needs none of this: the saga's answers
 * (SPEI_TRANSFER_SENT, then TRANSFER_COMPLETED or TRANSFER_FAILED) reach its socket as they come.
 *
 * The answer is one the conversation core tells like any other: SPEI_TRANSFER_SENT (sent, with
 * its clave de rastreo: the request the customer approved, with what the status says of it),
 * TRANSFER_STATUS_RESPONSE once it has settled, TRANSFER_FAILED (SPEI.RETURNED or SPEI.TIMED_OUT:
 * the money was given back), or, when nothing more is known in time, SPEI_TRANSFER_STARTED
 * itself: the transfer is under way, under its transfer id. Pure but for the calls it is given.
 */
import { refusalText } from '@centli/pure/refusals';
import { QUERIES, type ToolAnswer, type ToolRequest } from './plan';

export interface FollowOptions {
  /** Asks a service (the door stamps the request with its ids); the n-th follow-up is `attempt`. */
  ask: (query: ToolRequest, attempt: number) => Promise<ToolAnswer>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** How long the transfer is followed before it is told as under way. */
  waitMs: number;
}

interface Cep {
  receiving_bank: string;
  amount: number;
  currency: string;
  formatted_amount: string;
  clave_rastreo: string;
}

/** Follows a started SPEI transfer (see the module description). `request` is the SPEI_TRANSFER_REQUEST that started it. */
export async function followSpeiTransfer(started: ToolAnswer, request: ToolRequest, options: FollowOptions): Promise<ToolAnswer> {
  const transferId = String(started.detail.transfer_id);
  const deadline = options.now().getTime() + options.waitMs;
  for (let attempt = 1; options.now().getTime() < deadline; attempt++) {
    await options.sleep(Math.min(250 * attempt, 1000));
    let status: ToolAnswer;
    try {
      status = await options.ask({ detailType: QUERIES.transferStatus, detail: { transfer_id: transferId } }, attempt);
    } catch {
      // The transfer is under way whatever happens here: it is told as such, never as "nothing was done".
      return started;
    }
    // Not recorded yet, or not readable now: asked again until the wait is over.
    if (status.detailType !== 'TRANSFER_STATUS_RESPONSE') continue;
    const outcome = outcomeOf(status, started, request);
    if (outcome) return outcome;
  }
  return started;
}

/** What a status says, as the answer the door tells; nothing while the order has not been sent. */
function outcomeOf(status: ToolAnswer, started: ToolAnswer, request: ToolRequest): ToolAnswer | undefined {
  const d = status.detail;
  const ids = { request_id: started.detail.request_id, correlation_id: started.detail.correlation_id, user_id: started.detail.user_id };
  const cep = d.cep as Cep;
  if (d.status === 'returned' || d.status === 'timed_out') {
    const reason = d.status === 'returned' ? 'SPEI.RETURNED' : 'SPEI.TIMED_OUT';
    const params = {
      bank: cep.receiving_bank,
      amount: { amount: cep.amount, currency: cep.currency },
      clave_rastreo: cep.clave_rastreo,
      ...(typeof d.return_reason === 'string' ? { return_reason: d.return_reason } : {}),
    };
    return { detailType: 'TRANSFER_FAILED', detail: { ...ids, reason, message: refusalText(reason, params, 'en'), params } };
  }
  if (d.status === 'settled') return status;
  if (typeof d.sent_at !== 'string') return undefined;
  const r = request.detail;
  return {
    detailType: 'SPEI_TRANSFER_SENT',
    detail: {
      ...ids,
      transfer_id: d.transfer_id,
      clave_rastreo: cep.clave_rastreo,
      from_account_id: r.from_account_id,
      to_clabe: r.to_clabe,
      beneficiary_name: r.beneficiary_name,
      receiving_bank: cep.receiving_bank,
      amount: r.amount,
      currency: 'MXN',
      formatted_amount: cep.formatted_amount,
      sent_at: d.sent_at,
    },
  };
}
