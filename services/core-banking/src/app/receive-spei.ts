/**
 * The SPEI participant's notification of a payment to a Centli CLABE → Centli's answer, credited
 * or returned, the same on every delivery of its clave de rastreo. The notification is believed
 * only when its signature is the shared secret's over this body and a fresh timestamp
 * (@centli/pure/signed-body), and only when it is what the contract says
 * (schemas/spei/incoming-payment.schema.json); either refusal writes nothing. A credit is
 * published as SPEI_RECEIVED, naming the customer, after its transaction and again on every
 * repeated notification of it (at least once: a crash between the two is healed by the
 * participant's retry), so the chat tells the customer; its message id makes it shown once.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { applyLocalEndpoints } from '@centli/kit/config';
import { correlate, recordOutcome, type Observability } from '@centli/kit/observability';
import type { Publisher } from '@centli/kit/publisher';
import { isValidClabe } from '@centli/pure/clabe';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { readSignedJson, SIGNATURE_HEADER, type SignedJsonRefusal } from '@centli/pure/signed-body';
import { speiValidator, type SpeiIncomingAnswer, type SpeiIncomingPayment } from '@centli/schemas';
import type { SpeiStore } from '../adapters/spei-store';
import { foreignClabe, notificationFingerprint, planSpeiCredit, returnReasonFor, returnRecord, speiInKey, type SpeiInRecord } from '../domain/spei-in';

/** Core Banking's source on the bus. */
export const CORE_BANKING_SOURCE = 'centli.core-banking';

const validatePayment = speiValidator('incoming-payment');

export interface SpeiSettings {
  /** The shared secret the participant signs with; empty refuses every notification. */
  secret: string;
  /** This bank's 3-digit code: a CLABE under another is not ours. */
  bankCode: string;
  /** The bank's SPEI clearing account, debited by every credit. */
  clearingAccountId: string;
}

export interface ReceiveSpeiDeps {
  store: Pick<SpeiStore, 'findByClabe' | 'ownerOf' | 'getRecord' | 'settleReturn' | 'commitCredit'>;
  publisher: Publisher;
  settings: SpeiSettings;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** What the endpoint answers: the HTTP status and its JSON body. */
export type SpeiReply =
  | { status: 200; body: SpeiIncomingAnswer }
  | SignedJsonRefusal
  | { status: 409; body: { error: 'clave_rastreo_reused'; clave_rastreo: string } };

/** Receives one notification: see the module description. */
export async function receiveSpei(body: Buffer, signature: string | undefined, deps: ReceiveSpeiDeps): Promise<SpeiReply> {
  const read = readSignedJson<SpeiIncomingPayment>(deps.settings.secret, body, signature, deps.now(), validatePayment);
  if ('refusal' in read) return read.refusal;
  const payment = read.value;
  // The schema holds the CLABE's shape; its check digit is the CLABE rule's (a participant checks it before sending, so this is a fault of theirs).
  if (!isValidClabe(payment.clabe)) return { status: 400, body: { error: 'invalid', message: 'body/clabe: the check digit is wrong' } };
  const hash = notificationFingerprint(payment);

  // A repeated notification (the participant retries until it hears an answer) finds its record first.
  const first = await deps.store.getRecord(speiInKey(payment.clave_rastreo));
  if (first) return answered(first, payment, hash, deps);
  if (foreignClabe(payment, deps.settings.bankCode)) return answered(await deps.store.settleReturn(returnRecord(payment, 'cuenta_no_pertenece_al_banco', deps.now())), payment, hash, deps);
  const account = await deps.store.findByClabe(payment.clabe);
  if (!account) return answered(await deps.store.settleReturn(returnRecord(payment, 'cuenta_inexistente', deps.now())), payment, hash, deps);
  const clearingOwner = await deps.store.ownerOf(deps.settings.clearingAccountId);
  if (!clearingOwner) throw new Error(`the SPEI clearing account ${deps.settings.clearingAccountId} does not exist`);
  const clearing = { user_id: clearingOwner, account_id: deps.settings.clearingAccountId };

  return retryOnContention(
    async () => {
      const plan = planSpeiCredit(payment, account, clearing, deps.now());
      const result = await deps.store.commitCredit(plan);
      switch (result.status) {
        case 'committed':
          return answered(plan.record, payment, hash, deps);
        case 'served':
          return answered(result.first, payment, hash, deps);
        case 'contention':
          throw new ContentionError();
        case 'refused':
          return answered(await deps.store.settleReturn(returnRecord(payment, returnReasonFor(payment, result.account), deps.now())), payment, hash, deps);
      }
    },
    { what: 'the accounts', sleep: deps.sleep },
  );
}

/**
 * Answers the record that stands, telling the customer (again) when it is a credit; a clave de
 * rastreo whose record answers another payment is refused, and nothing is said to anyone.
 */
async function answered(record: SpeiInRecord, payment: SpeiIncomingPayment, hash: string, deps: ReceiveSpeiDeps): Promise<SpeiReply> {
  if (record.request_hash !== hash) return { status: 409, body: { error: 'clave_rastreo_reused', clave_rastreo: payment.clave_rastreo } };
  if (record.notice) await deps.publisher.publish(CORE_BANKING_SOURCE, [record.notice]);
  return { status: 200, body: record.answer };
}

/**
 * The HTTP API's request (payload format 2.0) → `receiveSpei` → its response, the invocation's
 * outcome recorded: a refused notification as `refused` with its error, a returned payment as
 * `refused` with SPEI's cause.
 */
export async function answerNotification(event: APIGatewayProxyEventV2, context: Context, deps: () => ReceiveSpeiDeps | Promise<ReceiveSpeiDeps>, observability: Pick<Observability, 'logger' | 'tracer'>): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  applyLocalEndpoints();
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const reply = await receiveSpei(body, event.headers[SIGNATURE_HEADER], await deps());
  if (reply.status !== 200) recordOutcome(context, 'refused', reply.body.error);
  else if (reply.body.status === 'returned') recordOutcome(context, 'refused', reply.body.reason);
  return { statusCode: reply.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply.body) };
}
