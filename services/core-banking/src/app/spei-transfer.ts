/**
 * SPEI_TRANSFER_REQUEST → the SPEI saga (sagas/spei-transfer.asl.yml). EventBridge cannot name a
 * Step Functions execution, so this function sits between the rule and the state machine and
 * starts the execution named by the transfer id (from user_id and request_id): a request
 * delivered twice starts one execution and is answered the same transfer id and clave de
 * rastreo. It answers SPEI_TRANSFER_STARTED; the saga answers SPEI_TRANSFER_SENT, then
 * TRANSFER_COMPLETED or TRANSFER_FAILED. A request that breaks its schema, or names a CLABE with
 * a wrong check digit or Centli's own bank code, is refused here (TRANSFER_FAILED) and nothing is
 * written.
 */
import type { Answer } from '@centli/kit/event-handler';
import { startSaga } from '@centli/kit/state-machine';
import type { SpeiTransferRequest } from '@centli/schemas';
import type { SpeiSaga } from '../adapters/spei-saga';
import { checkSpeiClabe, speiSagaInput } from '../domain/spei-out';

export interface StartSpeiDeps {
  saga: Pick<SpeiSaga, 'start' | 'inputOf'>;
  stateMachineArn: () => string;
  /** This bank's CLABE code: a CLABE under it is a Centli account, paid by TRANSFER_REQUEST. */
  bankCode: string;
  /** How long the saga waits for the order's result (short locally, minutes in AWS). */
  timeoutSeconds: number;
  now?: () => Date;
}

export async function startSpeiTransfer(request: SpeiTransferRequest, deps: StartSpeiDeps): Promise<Answer> {
  checkSpeiClabe(request.to_clabe, deps.bankCode);
  const input = speiSagaInput(request, deps.timeoutSeconds);
  // The transfer id is the request_id's: the same id with another transfer is another request.
  return startSaga(request, deps.saga, { machine: deps.stateMachineArn(), name: input.transfer_id, input }, { detailType: 'SPEI_TRANSFER_STARTED', fields: { transfer_id: input.transfer_id, clave_rastreo: input.clave_rastreo }, now: deps.now });
}
