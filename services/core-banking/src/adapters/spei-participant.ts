/**
 * The SPEI participant's order API, behind an interface: the bank-side system that sends
 * Centli's orders into SPEI and later tells Centli their result (POST /spei/order-results). The
 * HTTP adapter POSTs the order as JSON, signed with the shared secret as the participant signs
 * what it sends Centli (@centli/pure/signed-body), to `<base URL>/orders`; the base URL is
 * configuration (SPEI_PARTICIPANT_URL: the local stack's stand-in, local/spei.ts, or the real one).
 * The participant keeps orders by their id: the same order sent again is the same order.
 *
 * Before Centli gives an order's money back it asks the participant, and stops the order if it has
 * not settled: `POST <base URL>/orders/<order_id>/cancel` with `{ order_id }`, signed the same way.
 * An order not yet settled is `cancelada` (it will never settle); one that settled or came back
 * answers that (`liquidada`, or `devuelta` with its reason); asking again answers the same. An order
 * the participant never received (404) cannot settle: it answers `cancelada` too.
 */
import { TransientError } from '@centli/pure/errors';
import { SIGNATURE_HEADER, signBody } from '@centli/pure/signed-body';
import type { SpeiOrder } from '../domain/spei-out';

/** What Centli asks of a SPEI participant. */
export interface SpeiParticipant {
  /** Sends the order; resolves when the participant accepted it, throws SpeiOrderRejectedError when it refused it for good. */
  sendOrder(order: SpeiOrder): Promise<void>;
  /** Cancels the order unless it settled or came back; what it is now. Throws TransientError while the participant cannot answer. */
  cancelOrder(orderId: string): Promise<CancelAnswer>;
}

/** The participant's answer to a cancel: the order's status at the participant, now final. */
export interface CancelAnswer {
  status: 'cancelada' | 'liquidada' | 'devuelta';
  reason?: string;
}

const CANCEL_STATUSES = new Set(['cancelada', 'liquidada', 'devuelta']);

/** The participant refused the order (a 4xx): sending it again cannot help. */
export class SpeiOrderRejectedError extends Error {
  constructor(status: number, body: string) {
    super(`the SPEI participant refused the order: ${status} ${body.slice(0, 300)}`);
    this.name = 'SpeiOrderRejectedError';
  }
}

export interface HttpParticipantSettings {
  baseUrl: string;
  /** The shared secret the order is signed with (read when an order is sent: it is cached and may rotate). */
  secret: () => Promise<string>;
  /** How long one request may take, in ms (5000). */
  timeoutMs?: number;
}

export class HttpSpeiParticipant implements SpeiParticipant {
  constructor(
    private readonly settings: HttpParticipantSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendOrder(order: SpeiOrder): Promise<void> {
    const { status, text } = await this.post('orders', JSON.stringify(order));
    if (status >= 400) throw new SpeiOrderRejectedError(status, text);
  }

  async cancelOrder(orderId: string): Promise<CancelAnswer> {
    const { status, text } = await this.post(`orders/${encodeURIComponent(orderId)}/cancel`, JSON.stringify({ order_id: orderId }));
    // Never received: nothing to settle, and nothing of Centli's ever will under this id.
    if (status === 404) return { status: 'cancelada', reason: 'unknown_order' };
    if (status >= 400) throw new Error(`the SPEI participant refused to cancel order ${orderId}: ${status} ${text.slice(0, 300)}`);
    let answer: { status?: unknown; reason?: unknown };
    try {
      answer = JSON.parse(text) as { status?: unknown; reason?: unknown };
    } catch {
      throw new TransientError(`the SPEI participant answered the cancel of ${orderId} with no JSON`);
    }
    if (typeof answer?.status !== 'string' || !CANCEL_STATUSES.has(answer.status)) throw new Error(`the SPEI participant answered the cancel of ${orderId} with status ${String(answer?.status)}`);
    return { status: answer.status as CancelAnswer['status'], ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}) };
  }

  /** POSTs the body, signed, to <base URL>/<path>; the participant's answer unless it is unreachable or fails (TransientError). */
  private async post(path: string, body: string): Promise<{ status: number; text: string }> {
    if (!this.settings.baseUrl) throw new Error('no SPEI participant is configured (SPEI_PARTICIPANT_URL)');
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl.replace(/\/$/, '')}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(await this.settings.secret(), body, this.now()) },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new TransientError(`the SPEI participant could not be reached: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    if (response.status >= 500 || response.status === 429) throw new TransientError(`the SPEI participant answered ${response.status}`);
    return { status: response.status, text };
  }
}
