/**
 * The SPEI participant's result for an order (`POST /spei/order-results` on Core Banking's HTTP
 * API), believed only with the shared secret's signature over this body and a fresh timestamp,
 * and only when it is what the contract says (schemas/spei/order-result.schema.json); either
 * refusal writes nothing. The result is recorded with ONE conditional update, only while the
 * order has none (held or sent) and only for the order's own clave de rastreo; then the saga's
 * waiting task gets it (SendTaskSuccess with the token on the record). A duplicated, late (after
 * the timeout) or out-of-order result finds a result there and changes nothing; it is answered
 * 200 so the participant stops sending it. The same result again re-sends the token its result
 * (harmless once the task has it; it heals a crash between the record and the call).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { applyLocalEndpoints } from '@centli/kit/config';
import { correlate, recordOutcome, type Observability } from '@centli/kit/observability';
import { readSignedJson, SIGNATURE_HEADER, type SignedJsonRefusal } from '@centli/pure/signed-body';
import { speiValidator, type SpeiOrderResult } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import type { SpeiSaga } from '../adapters/spei-saga';
import type { SpeiResult } from '../domain/spei-out';

const validateResult = speiValidator('order-result');

export interface OrderResultDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'recordResult'>;
  saga: Pick<SpeiSaga, 'succeed'>;
  /** The shared secret the participant signs with; empty refuses every result. */
  secret: string;
  now: () => Date;
}

export type OrderResultReply =
  | { status: 200; body: { order_id: string; recorded: 'recorded' | 'already_recorded'; status: string } }
  | SignedJsonRefusal
  | { status: 404; body: { error: 'unknown_order'; order_id: string } }
  | { status: 409; body: { error: 'clave_rastreo_mismatch'; order_id: string } };

export async function receiveOrderResult(body: Buffer, signature: string | undefined, deps: OrderResultDeps): Promise<OrderResultReply> {
  const read = readSignedJson<SpeiOrderResult>(deps.secret, body, signature, deps.now(), validateResult);
  if ('refusal' in read) return read.refusal;
  const result = read.value;
  const outcome: SpeiResult =
    result.status === 'liquidada' ? { status: 'liquidada', ...(result.settled_at ? { settled_at: result.settled_at } : {}) } : { status: 'devuelta', ...(result.reason ? { reason: result.reason } : {}) };

  const recorded = await deps.store.recordResult(result.order_id, result.clave_rastreo, outcome, deps.now().toISOString());
  if (recorded) {
    if (recorded.task_token) await deps.saga.succeed(recorded.task_token, { status: recorded.status });
    return { status: 200, body: { order_id: result.order_id, recorded: 'recorded', status: recorded.status } };
  }
  const standing = await deps.store.getOrder(result.order_id);
  if (!standing) return { status: 404, body: { error: 'unknown_order', order_id: result.order_id } };
  if (standing.clave_rastreo !== result.clave_rastreo) return { status: 409, body: { error: 'clave_rastreo_mismatch', order_id: result.order_id } };
  // The same result again, while the saga may still wait for it: hand it over again (idempotent).
  if (standing.status === result.status && standing.task_token && !standing.end_transaction_id) await deps.saga.succeed(standing.task_token, { status: standing.status });
  return { status: 200, body: { order_id: result.order_id, recorded: 'already_recorded', status: standing.status } };
}

/** The HTTP API's request (payload format 2.0) → `receiveOrderResult` → its response, the outcome recorded. */
export async function answerOrderResult(event: APIGatewayProxyEventV2, context: Context, deps: () => OrderResultDeps | Promise<OrderResultDeps>, observability: Pick<Observability, 'logger' | 'tracer'>): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  applyLocalEndpoints();
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const reply = await receiveOrderResult(body, event.headers[SIGNATURE_HEADER], await deps());
  if (reply.status !== 200) recordOutcome(context, 'refused', reply.body.error);
  else if (reply.body.recorded === 'already_recorded') observability.logger.info('a repeated or late SPEI order result changed nothing', { order_id: reply.body.order_id, status: reply.body.status });
  return { statusCode: reply.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply.body) };
}
