/**
 * The SPEI participant's order API, behind an interface: the bank-side system that sends
 * Centli's orders into SPEI and later tells Centli their result (POST /spei/order-results). The
 * HTTP adapter POSTs the order as JSON, signed with the shared secret as the participant signs
 * what it sends Centli (@centli/pure/signed-body), to `<base URL>/orders`; the base URL is
 * configuration (SPEI_PARTICIPANT_URL: the local stack's stand-in, local/spei.ts, or the real one).
 * The participant keeps orders by their id: the same order sent again is the same order.
 */
import { TransientError } from '@centli/pure/errors';
import { SIGNATURE_HEADER, signBody } from '@centli/pure/signed-body';
import type { SpeiOrder } from '../domain/spei-out';

/** What Centli asks of a SPEI participant. */
export interface SpeiParticipant {
  /** Sends the order; resolves when the participant accepted it, throws SpeiOrderRejectedError when it refused it for good. */
  sendOrder(order: SpeiOrder): Promise<void>;
}

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
    if (!this.settings.baseUrl) throw new Error('no SPEI participant is configured (SPEI_PARTICIPANT_URL)');
    const body = JSON.stringify(order);
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl.replace(/\/$/, '')}/orders`, {
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
    if (response.status >= 400) throw new SpeiOrderRejectedError(response.status, text);
  }
}
