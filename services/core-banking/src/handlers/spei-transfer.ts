/** The Lambda entry of SPEI_TRANSFER_REQUEST (app/spei-transfer.ts): the state machine is found from the running function's own ARN. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/SPEI_TRANSFER_REQUEST';
import type { Context } from 'aws-lambda';
import { eventHandler, type BusEvent } from '@centli/kit/event-handler';
import { NamedStateMachine } from '@centli/kit/state-machine';
import { SpeiSaga } from '../adapters/spei-saga';
import { speiBankCode, speiOrderTimeoutSeconds } from '../adapters/spei-settings';
import { startSpeiTransfer, type StartSpeiDeps } from '../app/spei-transfer';

const machine = new NamedStateMachine('SPEI_STATE_MACHINE_NAME');

let defaults: StartSpeiDeps | undefined;
const defaultDeps = (): StartSpeiDeps => (defaults ??= { saga: new SpeiSaga(), stateMachineArn: machine.arn, bankCode: speiBankCode(), timeoutSeconds: speiOrderTimeoutSeconds() });

const consume = eventHandler((request) => startSpeiTransfer(request, defaultDeps()), { service: 'core-banking', accepts: 'SPEI_TRANSFER_REQUEST' });

export const handler = (event: BusEvent, context: Context) => consume(event, machine.invokedAs(context));
