/** The Lambda entry of PURCHASE_REQUEST (app/purchase.ts): the state machine is found from the running function's own ARN. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/PURCHASE_REQUEST';
import type { Context } from 'aws-lambda';
import { eventHandler, type BusEvent } from '@centli/kit/event-handler';
import { PurchaseSaga, RunningStateMachine } from '../adapters/purchase-saga';
import { startPurchase, type StartPurchaseDeps } from '../app/purchase';

const machine = new RunningStateMachine();

let defaults: StartPurchaseDeps | undefined;
const defaultDeps = (): StartPurchaseDeps => (defaults ??= { saga: new PurchaseSaga(), stateMachineArn: machine.arn });

const consume = eventHandler((request) => startPurchase(request, defaultDeps()), { service: 'marketplace', accepts: 'PURCHASE_REQUEST' });

export const handler = (event: BusEvent, context: Context) => consume(event, machine.invokedAs(context));
