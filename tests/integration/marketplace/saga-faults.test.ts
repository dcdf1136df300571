/**
 * Tasks failing once (retried) and for good (compensated), with the real task handlers against
 * the local stack's DynamoDB Local and the result events on its bus.
 *
 * How this stays honest: the saga runs in this process, not in the stack's child process, so
 * the test can wrap each task invocation (local/saga.ts `wrapTask`) to inject faults around the
 * real handler; no production code has a test branch. It is the same SagaRunner, definition
 * (sagas/purchase.asl.yml) and handler modules the stack runs, pointed at the same endpoints
 * (CENTLI_TEST_STACK) through the same environment variables, with the Retry pauses shortened.
 * Faults are injected where they happen in AWS: before the handler runs (the invocation failed)
 * or after it returned (the work was done but the answer was lost).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { join } from 'node:path';
import type { PurchaseRequest } from '@centli/schemas';
import { applyEnvironment, unionEnvironment } from '../../../local/environment';
import { SagaRunner, type TaskInvoker } from '../../../local/saga';
import { loadServiceConfigs, REPOSITORY_ROOT } from '../../../local/serverless-config';
import { sagaInput } from '../../../services/marketplace/src/domain/purchase';
import { answerTo, balancesOf, closeClients, createAccounts, endpoints, eventsFor, ledgerOf, runId, type TestAccount } from '../support';
import { guardOf, openShop, paymentRecordOf, purchaseRecordOf, purchaseRequest, stockOf, sum, type Shop } from './support';

type Fault = 'before' | 'after';
/** Per state: how each call fails, in order; calls past the list succeed. `always` fails every call. */
type Plan = Record<string, { when: Fault; times: number | 'always' }>;

const RESULTS = ['PURCHASE_CONFIRMED', 'PURCHASE_FAILED'];
let plan: Plan = {};
const calls = new Map<string, number>();

function transient(state: string): Error {
  const error = new Error(JSON.stringify({ errorType: 'TransientError', errorMessage: `injected: ${state} is unavailable`, trace: [] }));
  error.name = 'TransientError';
  return error;
}

const services = loadServiceConfigs({ stage: 'local' });
let runner: SagaRunner;
let restore: () => void = () => {};
let bus: EventBridgeClient;

beforeAll(() => {
  const stack = endpoints();
  restore = applyEnvironment({
    ...unionEnvironment(services.flatMap((s) => s.functions)),
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
    AWS_ENDPOINT_URL_EVENTBRIDGE: stack.eventbridge,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  bus = new EventBridgeClient({ endpoint: stack.eventbridge, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  runner = newRunner();
});

/** A runner of its own: it knows no execution names yet, like Step Functions 90 days after an execution closed. */
function newRunner(): SagaRunner {
  return new SagaRunner({
    definitionFile: join(REPOSITORY_ROOT, 'sagas', 'purchase.asl.yml'),
    stateMachineName: 'centli-purchase-local',
    stage: 'local',
    functions: services.flatMap((s) => s.functions),
    imports: { 'centli-event-bus-name-local': 'centli-event-bus-local' },
    retryIntervalMs: 5,
    putEvents: async (entries) => bus.send(new PutEventsCommand({ Entries: entries })),
    wrapTask: (state: string, invoke: TaskInvoker): TaskInvoker => async (input) => {
      const n = (calls.get(state) ?? 0) + 1;
      calls.set(state, n);
      const fault = plan[state];
      const failing = fault !== undefined && (fault.times === 'always' || n <= fault.times);
      if (failing && fault.when === 'before') throw transient(state);
      const output = await invoke(input);
      if (failing) throw transient(state);
      return output;
    },
  });
}

afterAll(async () => {
  await runner?.stop();
  bus?.destroy();
  restore();
  closeClients();
});

interface World {
  shop: Shop;
  ana: TestAccount;
  request: PurchaseRequest;
}

async function world(): Promise<World> {
  const run = runId();
  const shop = await openShop(run, { stock: 3, price: 1_199_900 });
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 5_000_000 };
  await createAccounts([ana]);
  return { shop, ana, request: purchaseRequest(run, shop, ana, { installments: 3 }) };
}

async function purchase(request: PurchaseRequest, faults: Plan) {
  plan = faults;
  calls.clear();
  const input = sagaInput(request);
  runner.startExecution({ stateMachineArn: runner.stateMachineArn, name: input.purchase_id, input: JSON.stringify(input) });
  const history = await runner.wait(input.purchase_id, 60_000);
  const answer = await answerTo(request.correlation_id, RESULTS, 30_000);
  return { history, answer, calls: new Map(calls) };
}

describe('a task that fails once', () => {
  it.each([
    ['ReserveInventory', 'before'],
    ['ReserveInventory', 'after'],
    ['ChargePayment', 'before'],
    ['ChargePayment', 'after'],
    ['ConfirmPurchase', 'before'],
    ['ConfirmPurchase', 'after'],
  ] as const)('%s (failing %s its work) is retried, and the purchase is confirmed with one reservation and one charge', async (state, when) => {
    const { shop, ana, request } = await world();

    const { history, answer, calls: made } = await purchase(request, { [state]: { when, times: 1 } });

    expect(history.status).toBe('SUCCEEDED');
    expect(made.get(state)).toBe(2);
    expect(history.states.find((s) => s.name === state)?.retries).toEqual([{ attempt: 1, error: 'TransientError' }]);
    expect(answer['detail-type']).toBe('PURCHASE_CONFIRMED');
    expect(await stockOf(shop.product)).toBe(2);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 5_000_000 - 1_199_900], [shop.settlement.account_id, 1_199_900]]));
    expect(await ledgerOf([ana.account_id])).toHaveLength(1);
    expect(await purchaseRecordOf(request)).toMatchObject({ status: 'confirmed', transaction_id: answer.detail.transaction_id });
  });
});

describe('a task that fails for good', () => {
  it.each([
    ['ReserveInventory', 'before', 'PURCHASE.RESERVATION_ERROR', ['ReleaseInventory']],
    ['ReserveInventory', 'after', 'PURCHASE.RESERVATION_ERROR', ['ReleaseInventory']],
    ['ChargePayment', 'before', 'PURCHASE.PAYMENT_ERROR', ['RefundPayment', 'ReleaseInventory']],
    ['ChargePayment', 'after', 'PURCHASE.PAYMENT_ERROR', ['RefundPayment', 'ReleaseInventory']],
    ['ConfirmPurchase', 'before', 'PURCHASE.CONFIRMATION_ERROR', ['RefundPayment', 'ReleaseInventory']],
    ['ConfirmPurchase', 'after', 'PURCHASE.CONFIRMATION_ERROR', ['RefundPayment', 'ReleaseInventory']],
  ] as const)('%s (failing %s its work) is compensated: stock and money back, exactly one PURCHASE_FAILED', async (state, when, reason, compensations) => {
    const { shop, ana, request } = await world();

    const { history, answer, calls: made } = await purchase(request, { [state]: { when, times: 'always' } });

    expect(history.status).toBe('SUCCEEDED');
    expect(made.get(state)).toBe(4);
    const visited = history.states.map((s) => s.name);
    for (const compensation of compensations) expect(visited).toContain(compensation);
    expect(visited.slice(-2)).toEqual(['PublishFailed', 'Compensated']);

    expect(answer['detail-type']).toBe('PURCHASE_FAILED');
    expect(answer.detail).toMatchObject({ reason, purchase_id: sagaInput(request).purchase_id });
    const results = (await eventsFor(request.correlation_id)).filter((e) => RESULTS.includes(e['detail-type']));
    expect(results).toHaveLength(1);

    expect(await stockOf(shop.product)).toBe(3);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 5_000_000], [shop.settlement.account_id, 0]]));
    const ledger = await ledgerOf([ana.account_id, shop.settlement.account_id]);
    // Either nothing moved, or the charge and its refund did: the books net to zero either way.
    expect(sum(ledger.map((r) => (r.direction === 'credit' ? r.amount : -r.amount)))).toBe(0);
    if (state === 'ReserveInventory' && when === 'before') {
      // Nothing was ever reserved: the release left a guard that no late reservation can pass.
      expect(await purchaseRecordOf(request)).toBeUndefined();
      expect(await guardOf(request)).toMatchObject({ status: 'released' });
    } else {
      expect(await purchaseRecordOf(request)).toMatchObject({ status: 'released', released_quantity: 1 });
    }
    const payment = await paymentRecordOf(request);
    if (state === 'ReserveInventory') expect(payment).toBeUndefined();
    else expect(payment?.status).toBe(ledger.length > 0 ? 'refunded' : 'voided');
  });

  it('ConfirmPurchase failing after the charge: the refund gives back exactly what was charged, and the stock is released', async () => {
    const { shop, ana, request } = await world();

    const { history } = await purchase(request, { ConfirmPurchase: { when: 'before', times: 'always' } });

    const refund = history.states.find((s) => s.name === 'RefundPayment');
    expect(refund?.attempts.at(-1)?.output).toMatchObject({ refunded_amount: 1_199_900 });
    const release = history.states.find((s) => s.name === 'ReleaseInventory');
    expect(release?.attempts.at(-1)?.output).toMatchObject({ released_quantity: 1 });
    const ledger = await ledgerOf([ana.account_id, shop.settlement.account_id]);
    expect(ledger.map((r) => [r.account_id, r.direction, r.amount]).sort()).toEqual(
      [
        [ana.account_id, 'credit', 1_199_900],
        [ana.account_id, 'debit', 1_199_900],
        [shop.settlement.account_id, 'credit', 1_199_900],
        [shop.settlement.account_id, 'debit', 1_199_900],
      ].sort(),
    );
  });
});

describe('a compensation that fails', () => {
  it('is retried until it succeeds', async () => {
    const { shop, ana, request } = await world();

    const { history, answer, calls: made } = await purchase(request, {
      ConfirmPurchase: { when: 'before', times: 'always' },
      RefundPayment: { when: 'before', times: 3 },
      ReleaseInventory: { when: 'after', times: 2 },
    });

    expect(made.get('RefundPayment')).toBe(4);
    expect(made.get('ReleaseInventory')).toBe(3);
    expect(history.states.find((s) => s.name === 'ReleaseInventory')?.attempts.at(-1)?.output).toMatchObject({ released_quantity: 1 });
    expect(answer.detail.reason).toBe('PURCHASE.CONFIRMATION_ERROR');
    expect(await stockOf(shop.product)).toBe(3);
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 5_000_000]]));
  });
});

describe('the same purchase run by a second execution', () => {
  it('finds everything done by the first and changes nothing: each task is idempotent on the purchase id', async () => {
    const { shop, ana, request } = await world();
    const first = await purchase(request, {});
    expect(first.answer['detail-type']).toBe('PURCHASE_CONFIRMED');

    const other = newRunner();
    const input = sagaInput(request);
    other.startExecution({ stateMachineArn: other.stateMachineArn, name: input.purchase_id, input: JSON.stringify(input) });
    const second = await other.wait(input.purchase_id, 60_000);
    await other.stop();

    expect(second.status).toBe('SUCCEEDED');
    expect(second.states.map((s) => s.name)).toEqual(['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']);
    const confirmations = (await eventsFor(request.correlation_id)).filter((e) => e['detail-type'] === 'PURCHASE_CONFIRMED');
    expect(confirmations).toHaveLength(2);
    expect(confirmations[1]?.detail).toEqual(confirmations[0]?.detail);
    expect(await stockOf(shop.product)).toBe(2);
    expect(await ledgerOf([ana.account_id])).toHaveLength(1);
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 5_000_000 - 1_199_900]]));
  });
});
