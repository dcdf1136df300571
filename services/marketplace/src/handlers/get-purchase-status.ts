/** The Lambda entry of PURCHASE_STATUS_QUERY (app/get-purchase-status.ts): the state machine is found from the running function's own ARN. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/PURCHASE_STATUS_QUERY';
import type { Context } from 'aws-lambda';
import { eventHandler, type BusEvent } from '@centli/kit/event-handler';
import { PurchaseSaga, RunningStateMachine } from '../adapters/purchase-saga';
import { PurchaseStore } from '../adapters/purchase-store';
import { getPurchaseStatus, type PurchaseStatusDeps } from '../app/get-purchase-status';

const machine = new RunningStateMachine();

let defaults: PurchaseStatusDeps | undefined;
const defaultDeps = (): PurchaseStatusDeps => (defaults ??= { saga: new PurchaseSaga(), store: new PurchaseStore(), stateMachineArn: machine.arn });

const consume = eventHandler((query) => getPurchaseStatus(query, defaultDeps()), { service: 'marketplace', accepts: 'PURCHASE_STATUS_QUERY' });

export const handler = (event: BusEvent, context: Context) => consume(event, machine.invokedAs(context));
