/**
 * The chat page's saga graph (web/chat/saga-graph.js): the layout of the real purchase saga
 * (sagas/purchase.asl.yml, read as the server serves it: `${sls:stage}` resolved, plain JSON),
 * and the status of every state from execution histories, handwritten and from the local runner.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { TaskInvoker } from '../../../local/saga';
import { loadSagaDefinition, SagaRunner, taskStates } from '../../../local/saga';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';
import {
  compensationStates,
  executionSummary,
  fitInOrder,
  isFinal,
  layoutSaga,
  NODE_HEIGHT,
  stateStatuses,
  transitionsOf,
  type AslDefinition,
  type ExecutionHistory,
  type GraphNode,
  type StateVisit,
} from '../../../web/chat/saga-graph.js';

const FILE = join(REPOSITORY_ROOT, 'sagas', 'purchase.asl.yml');
const definition = load(readFileSync(FILE, 'utf8').replaceAll('${sls:stage}', 'local')) as AslDefinition;
const stateNames = Object.keys(definition.States);

const HAPPY = ['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed'];
const FAILURE_PASSES = ['ProductNotFound', 'OutOfStock', 'InstallmentsNotAvailable', 'PriceChanged', 'ReservationFailed', 'InsufficientFunds', 'AccountNotFound', 'AccountInactive', 'CurrencyMismatch', 'SecondFactorRequired', 'PaymentFailed', 'ConfirmationFailed'];
const COMPENSATIONS = [...FAILURE_PASSES, 'RefundPayment', 'ReleaseInventory', 'PublishFailed', 'Compensated'];

/** Every transition of the definition: Next, Choices, Default and Catch. */
const transitions = stateNames.flatMap((from) => transitionsOf(definition.States[from]).map((t) => ({ from, ...t })));

function node(layout: { nodes: GraphNode[] }, id: string): GraphNode {
  const found = layout.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

/** A visit as local/saga.ts records it. */
function visit(name: string, type: string, at: number, durationMs: number | undefined, extra: Partial<StateVisit> = {}): StateVisit {
  const t0 = Date.parse('2026-11-22T16:00:00.000Z') + at;
  return {
    name,
    type,
    enteredAt: new Date(t0).toISOString(),
    ...(durationMs === undefined ? {} : { exitedAt: new Date(t0 + durationMs).toISOString(), durationMs }),
    input: { purchase_id: 'pur_1' },
    ...(durationMs === undefined ? {} : { output: { purchase_id: 'pur_1' } }),
    attempts: [],
    retries: [],
    ...extra,
  };
}

function history(status: ExecutionHistory['status'], states: StateVisit[], stopAt?: number): ExecutionHistory {
  const start = Date.parse('2026-11-22T16:00:00.000Z');
  return {
    name: 'pur_1',
    status,
    startDate: new Date(start).toISOString(),
    ...(stopAt === undefined ? {} : { stopDate: new Date(start + stopAt).toISOString(), durationMs: stopAt }),
    states,
  };
}

const attempt = (n: number, durationMs: number, error?: string) => ({
  attempt: n,
  function: 'centli-core-banking-local-charge-payment',
  durationMs,
  ...(error ? { error: { error, cause: `${error} happened` } } : {}),
});

/** Insufficient funds: one transient retry, then the business error, caught, and the undo path. */
const insufficientFunds = history(
  'SUCCEEDED',
  [
    visit('ReserveInventory', 'Task', 0, 120, { attempts: [attempt(1, 118)] }),
    visit('ChargePayment', 'Task', 120, 1400, {
      attempts: [attempt(1, 300, 'TransientError'), attempt(2, 90, 'PaymentInsufficientFundsError')],
      retries: [{ attempt: 1, error: 'TransientError' }],
      error: { error: 'PaymentInsufficientFundsError', cause: 'The account does not have enough funds for this purchase.' },
      caught: { errorEquals: ['PaymentInsufficientFundsError'], next: 'InsufficientFunds' },
    }),
    visit('InsufficientFunds', 'Pass', 1520, 0),
    visit('RefundPayment', 'Task', 1520, 80, { attempts: [attempt(1, 78)] }),
    visit('ReleaseInventory', 'Task', 1600, 70, { attempts: [attempt(1, 69)] }),
    visit('PublishFailed', 'Task', 1670, 20),
    visit('Compensated', 'Succeed', 1690, 0),
  ],
  1690,
);

describe('layoutSaga on the purchase saga', () => {
  const layout = layoutSaga(definition);

  it('draws every state as one node, and nothing else', () => {
    expect(layout.nodes.map((n) => n.id).sort()).toEqual([...stateNames].sort());
    expect(layout.problems).toEqual([]);
    expect(stateNames).toHaveLength(21);
  });

  it('draws an edge for every Next and every Catch, Catch edges as catch', () => {
    const drawn = layout.edges.map((e) => `${e.from}->${e.to}:${e.kind}`).sort();
    expect(drawn).toEqual(transitions.map((t) => `${t.from}->${t.to}:${t.kind}`).sort());
    const catches = stateNames.flatMap((from) => (definition.States[from]?.Catch ?? []).map((c) => `${from}->${c.Next}`));
    expect(catches).toHaveLength(12);
    for (const c of catches) expect(layout.edges.find((e) => `${e.from}->${e.to}` === c)?.kind).toBe('catch');
    expect(layout.edges.filter((e) => e.kind === 'next')).toHaveLength(stateNames.filter((n) => definition.States[n]?.Next).length);
  });

  it('puts StartAt alone in the first layer and every edge downwards', () => {
    expect(node(layout, definition.StartAt).layer).toBe(0);
    expect(layout.layers[0]).toEqual([definition.StartAt]);
    for (const edge of layout.edges) {
      expect(edge.back).toBe(false);
      expect(node(layout, edge.to).layer).toBeGreaterThan(node(layout, edge.from).layer);
    }
  });

  it('layers by the longest path: each state one below its lowest predecessor', () => {
    for (const n of layout.nodes) {
      const predecessors = layout.edges.filter((e) => e.to === n.id).map((e) => node(layout, e.from).layer);
      expect(n.layer).toBe(predecessors.length === 0 ? 0 : Math.max(...predecessors) + 1);
    }
    expect(node(layout, 'Compensated').layer).toBe(7);
    expect(layout.layers.flat().sort()).toEqual([...stateNames].sort());
  });

  it('keeps the happy path a straight column, one layer per step', () => {
    expect(HAPPY.map((id) => node(layout, id).layer)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(HAPPY.map((id) => node(layout, id).x)).size).toBe(1);
  });

  it('places nodes top-down without overlaps, inside the drawing', () => {
    for (const n of layout.nodes) {
      expect(n.y).toBe(layout.nodes.find((m) => m.layer === 0)!.y + n.layer * (layout.nodes.find((m) => m.layer === 1)!.y - layout.nodes.find((m) => m.layer === 0)!.y));
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
      expect(n.height).toBe(NODE_HEIGHT);
    }
    for (const row of layout.layers) {
      const boxes = row.map((id) => node(layout, id)).sort((a, b) => a.x - b.x);
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x).toBeGreaterThanOrEqual(boxes[i - 1]!.x + boxes[i - 1]!.width);
      expect(boxes.map((b) => b.order)).toEqual(boxes.map((_, i) => i));
    }
  });

  it('routes every edge from the bottom of its source to the top of its target', () => {
    for (const edge of layout.edges) {
      const from = node(layout, edge.from);
      const to = node(layout, edge.to);
      expect(edge.points[0]).toEqual({ x: from.x + from.width / 2, y: from.y + from.height });
      expect(edge.points.at(-1)).toEqual({ x: to.x + to.width / 2, y: to.y });
      expect(edge.path).toMatch(/^M[\d.]+,[\d.]+( [LC][\d., ]+)+$/);
      for (let i = 1; i < edge.points.length; i++) expect(edge.points[i]!.y).toBeGreaterThanOrEqual(edge.points[i - 1]!.y);
    }
  });

  it('marks the start, the terminal states and the compensations', () => {
    expect(layout.nodes.filter((n) => n.start).map((n) => n.id)).toEqual(['ReserveInventory']);
    expect(layout.nodes.filter((n) => n.end).map((n) => n.id).sort()).toEqual(['Compensated', 'Confirmed']);
    expect(layout.nodes.filter((n) => n.compensation).map((n) => n.id).sort()).toEqual([...COMPENSATIONS].sort());
  });

  it('draws every state grey (never visited) without a history', () => {
    expect(new Set(layout.nodes.map((n) => n.status))).toEqual(new Set(['notVisited']));
    expect(layout.edges.some((e) => e.taken)).toBe(false);
  });
});

describe('layoutSaga on the SPEI transfer saga', () => {
  // The page draws any saga the stack serves, from its definition alone (/sagas/spei-transfer).
  const spei = load(readFileSync(join(REPOSITORY_ROOT, 'sagas', 'spei-transfer.asl.yml'), 'utf8').replaceAll('${sls:stage}', 'local')) as AslDefinition;
  const layout = layoutSaga(spei);
  const names = Object.keys(spei.States);

  it('draws every state as one node, with an edge for every transition, and nothing it cannot place', () => {
    expect(layout.nodes.map((n) => n.id).sort()).toEqual([...names].sort());
    expect(layout.problems).toEqual([]);
    const expected = names.flatMap((from) => transitionsOf(spei.States[from]).map((t) => `${from}->${t.to}`));
    expect(layout.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual([...new Set(expected)].sort());
    expect(node(layout, spei.StartAt).layer).toBe(0);
  });
});

describe('compensationStates', () => {
  it('is every state that only a Catch leads to', () => {
    expect([...compensationStates(definition)].sort()).toEqual([...COMPENSATIONS].sort());
  });
});

describe('stateStatuses', () => {
  it('maps a purchase whose charge was refused: retried, caught, then compensated', () => {
    const statuses = stateStatuses(definition, insufficientFunds);

    expect(statuses.get('ReserveInventory')).toMatchObject({ status: 'succeeded', durationMs: 120, attempts: 1, retries: 0 });
    expect(statuses.get('ChargePayment')).toMatchObject({
      status: 'caught',
      durationMs: 1400,
      attempts: 2,
      retries: 1,
      error: { error: 'PaymentInsufficientFundsError' },
      caught: { errorEquals: ['PaymentInsufficientFundsError'], next: 'InsufficientFunds' },
    });
    for (const name of ['InsufficientFunds', 'RefundPayment', 'ReleaseInventory', 'PublishFailed', 'Compensated']) expect(statuses.get(name)?.status).toBe('compensated');
    for (const name of ['ConfirmPurchase', 'PublishConfirmed', 'Confirmed', 'ProductNotFound', 'PaymentFailed']) expect(statuses.get(name)).toMatchObject({ status: 'notVisited', visits: [] });
  });

  it('maps a confirmed purchase: the happy path passed, the rest never visited', () => {
    const confirmed = history('SUCCEEDED', HAPPY.map((name, i) => visit(name, definition.States[name]!.Type!, i * 100, 90)), 500);
    const statuses = stateStatuses(definition, confirmed);
    for (const name of HAPPY) expect(statuses.get(name)).toMatchObject({ status: 'succeeded', compensation: false });
    for (const name of COMPENSATIONS) expect(statuses.get(name)?.status).toBe('notVisited');
  });

  it('shows the state a running execution is in, with its time so far, and a pending retry', () => {
    const now = Date.parse('2026-11-22T16:00:02.000Z');
    const running = history('RUNNING', [visit('ReserveInventory', 'Task', 0, 120), visit('ChargePayment', 'Task', 120, undefined)]);
    expect(stateStatuses(definition, running, now).get('ChargePayment')).toMatchObject({ status: 'running', durationMs: 1880 });

    const retrying = history('RUNNING', [
      visit('ReserveInventory', 'Task', 0, 120),
      visit('ChargePayment', 'Task', 120, undefined, { attempts: [attempt(1, 30, 'TransientError')], error: { error: 'TransientError', cause: 'timed out' } }),
    ]);
    expect(stateStatuses(definition, retrying, now).get('ChargePayment')).toMatchObject({ status: 'retrying', error: { error: 'TransientError' } });
  });

  it('shows where a failed or aborted execution stopped', () => {
    const failedAt = visit('RefundPayment', 'Task', 200, undefined, { error: { error: 'States.Runtime', cause: 'boom' } });
    const failed = history('FAILED', [visit('ConfirmationFailed', 'Pass', 100, 0), failedAt], 900);
    expect(stateStatuses(definition, failed).get('RefundPayment')).toMatchObject({ status: 'failed', durationMs: 700, error: { error: 'States.Runtime' } });

    const aborted = history('ABORTED', [visit('ReserveInventory', 'Task', 0, undefined)], 50);
    expect(stateStatuses(definition, aborted).get('ReserveInventory')?.status).toBe('aborted');
  });

  it('adds up the visits of a state entered more than once', () => {
    const twice = history('SUCCEEDED', [visit('ReserveInventory', 'Task', 0, 100, { retries: [{ attempt: 1, error: 'X' }] }), visit('ReserveInventory', 'Task', 200, 50)], 300);
    expect(stateStatuses(definition, twice).get('ReserveInventory')).toMatchObject({ status: 'succeeded', durationMs: 150, retries: 1 });
  });
});

describe('layoutSaga with a history', () => {
  it('colours the nodes and marks the edges the execution took', () => {
    const layout = layoutSaga(definition, insufficientFunds);

    expect(node(layout, 'ChargePayment')).toMatchObject({ status: 'caught', retries: 1, durationMs: 1400 });
    expect(node(layout, 'RefundPayment')).toMatchObject({ status: 'compensated', compensation: true });
    const taken = layout.edges.filter((e) => e.taken).map((e) => `${e.from}->${e.to}:${e.kind}`);
    expect(taken.sort()).toEqual(
      [
        'ReserveInventory->ChargePayment:next',
        'ChargePayment->InsufficientFunds:catch',
        'InsufficientFunds->RefundPayment:next',
        'RefundPayment->ReleaseInventory:next',
        'ReleaseInventory->PublishFailed:next',
        'PublishFailed->Compensated:next',
      ].sort(),
    );
  });

  it('maps the history the local saga runner records', async () => {
    const imports = { 'centli-event-bus-name-local': 'centli-event-bus-local' };
    const served = loadSagaDefinition(FILE, 'local', imports) as unknown as AslDefinition;
    const functions = taskStates(served as never)
      .map(([, s]) => (s.Parameters as { FunctionName?: string }).FunctionName)
      .filter((n): n is string => n !== undefined)
      .map((functionName) => ({ functionName, dir: '/nowhere', handler: 'fake.handler', timeout: 10, memorySize: 128 }));
    let charges = 0;
    const runner = new SagaRunner({
      definitionFile: FILE,
      stateMachineName: 'centli-purchase-local',
      stage: 'local',
      functions,
      imports,
      retryIntervalMs: 1,
      putEvents: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `evt-${i}` })) }),
      wrapTask: (state, real) =>
        state.startsWith('Publish')
          ? real
          : async (input: Parameters<TaskInvoker>[0]) => {
              if (state === 'ChargePayment') {
                charges += 1;
                const name = charges === 1 ? 'TransientError' : 'PaymentInsufficientFundsError';
                throw Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: name, trace: [] })), { name });
              }
              const payload = (input as { Payload: { purchase_id: string } }).Payload;
              return { Payload: { purchase_id: payload.purchase_id, description: 'Laptop', amount: 100, currency: 'MXN', settlement_account_id: 'acc-ret', refunded_amount: 0, released_quantity: 1 }, StatusCode: 200 };
            },
    });
    const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', product_id: 'prod-1', retailer_id: 'ret-1', quantity: 1, account_id: 'acc-ana', total: 100, currency: 'MXN' };
    runner.startExecution({ stateMachineArn: runner.stateMachineArn, name: 'pur_web', input: JSON.stringify({ purchase_id: 'pur_web', request, second_factor_at: null }) });
    const recorded = (await runner.wait('pur_web', 10_000)) as unknown as ExecutionHistory;

    const layout = layoutSaga(served, recorded);

    expect(recorded.status).toBe('SUCCEEDED');
    expect(node(layout, 'ReserveInventory').status).toBe('succeeded');
    expect(node(layout, 'ChargePayment')).toMatchObject({ status: 'caught', retries: 1, attempts: 2 });
    for (const name of ['InsufficientFunds', 'RefundPayment', 'ReleaseInventory', 'PublishFailed', 'Compensated']) expect(node(layout, name).status).toBe('compensated');
    expect(layout.nodes.filter((n) => n.status === 'notVisited')).toHaveLength(stateNames.length - 7);
    expect(layout.edges.find((e) => e.from === 'ChargePayment' && e.to === 'InsufficientFunds')).toMatchObject({ kind: 'catch', taken: true });
    expect(isFinal(recorded)).toBe(true);
  });
});

describe('layoutSaga on other shapes', () => {
  it('lays out Choice rules and the Default', () => {
    const choice: AslDefinition = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Next: 'Done' },
        Small: { Type: 'Pass', End: true },
        Done: { Type: 'Succeed' },
      },
    };
    const layout = layoutSaga(choice);
    expect(layout.edges.map((e) => [e.from, e.to, e.kind, e.label])).toEqual([
      ['Check', 'Big', 'choice', '$.n NumericGreaterThan 1'],
      ['Check', 'Small', 'default', 'Default'],
      ['Big', 'Done', 'next', ''],
    ]);
    expect(layout.layers).toEqual([['Check'], expect.arrayContaining(['Big', 'Small']), ['Done']]);
    expect(layout.nodes.filter((n) => n.end).map((n) => n.id).sort()).toEqual(['Done', 'Small']);
  });

  it('sets a loop’s back edge aside instead of layering forever', () => {
    const loop: AslDefinition = {
      StartAt: 'Poll',
      States: {
        Poll: { Type: 'Task', Next: 'Ready?' },
        'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.ready', BooleanEquals: false, Next: 'Poll' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const layout = layoutSaga(loop);
    expect(layout.edges.find((e) => e.from === 'Ready?' && e.to === 'Poll')).toMatchObject({ back: true });
    expect(layout.layers).toEqual([['Poll'], ['Ready?'], ['Done']]);
  });

  it('reports what it cannot draw, and draws the rest', () => {
    const broken = { StartAt: 'Nowhere', States: { A: { Type: 'Pass', Next: 'Missing' }, Orphan: { Type: 'Fail' } } } as AslDefinition;
    const layout = layoutSaga(broken);
    expect(layout.problems).toEqual(['StartAt Nowhere is not a state', 'A → Missing: no such state']);
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(['A', 'Orphan']);
    expect(layoutSaga({} as AslDefinition)).toMatchObject({ nodes: [], edges: [], problems: expect.arrayContaining(['the definition has no States']) });
  });
});

describe('fitInOrder', () => {
  it('keeps positions that already have room', () => {
    expect(fitInOrder([0, 100, 300], [1, 1, 1], [50, 50])).toEqual([0, 100, 300]);
  });

  it('spreads positions that collide around their weighted mean, in order', () => {
    expect(fitInOrder([100, 100], [1, 1], [50])).toEqual([75, 125]);
    const [a, b] = fitInOrder([100, 100], [1000, 1], [50]);
    expect(a).toBeCloseTo(100, 0);
    expect(b! - a!).toBeCloseTo(50);
  });
});

describe('executionSummary', () => {
  it('sums up an execution for the panel', () => {
    expect(executionSummary(insufficientFunds)).toEqual({ status: 'SUCCEEDED', durationMs: 1690, visited: 7, retries: 1 });
    expect(executionSummary(undefined)).toEqual({ status: 'UNKNOWN', visited: 0, retries: 0 });
    const running = history('RUNNING', [visit('ReserveInventory', 'Task', 0, undefined)]);
    expect(executionSummary(running, Date.parse('2026-11-22T16:00:01.500Z'))).toMatchObject({ status: 'RUNNING', durationMs: 1500 });
    expect(isFinal(running)).toBe(false);
  });
});
