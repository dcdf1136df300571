/**
 * The purchase saga's shape, checked by walking sagas/purchase.asl.yml (not by snapshotting it):
 * every forward task catches into its compensation, every compensation retries until it
 * succeeds, every business error a task declares is caught by name and explained with the code
 * and message its class carries, and every task's payload is what its schema accepts.
 */
import { join } from 'node:path';
import type { TaskErrorClass, TaskHandlerInfo } from '@centli/kit/task-handler';
import { taskSchemas, type TaskName } from '@centli/schemas';
import { loadSagaDefinition, taskStates, type SagaDefinition } from '../../../local/saga';
import { loadServiceConfigs, REPOSITORY_ROOT, type FunctionConfig } from '../../../local/serverless-config';

type State = Record<string, unknown> & { Type: string; Next?: string; Retry?: Retrier[]; Catch?: Catcher[]; ResultPath?: string };
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}

const BUS = 'centli-event-bus-local';
const definition: SagaDefinition = loadSagaDefinition(join(REPOSITORY_ROOT, 'sagas', 'purchase.asl.yml'), 'local', { 'centli-event-bus-name-local': BUS });
const states = definition.States as Record<string, State>;
const functions = new Map<string, FunctionConfig>(loadServiceConfigs({ stage: 'local' }).flatMap((s) => s.functions.map((f) => [f.functionName, f] as const)));

const FORWARD = ['ReserveInventory', 'ChargePayment', 'ConfirmPurchase'];
/** What undoing each forward step takes, in order, before PURCHASE_FAILED. */
const COMPENSATION: Record<string, string[]> = {
  ReserveInventory: ['ReleaseInventory'],
  ChargePayment: ['RefundPayment', 'ReleaseInventory'],
  ConfirmPurchase: ['RefundPayment', 'ReleaseInventory'],
};
const COMPENSATIONS = ['RefundPayment', 'ReleaseInventory', 'PublishFailed'];
/** What every PURCHASE_FAILED detail says it answers, taken from the execution input. */
const ANSWERS = {
  'purchase_id.$': '$.purchase_id',
  'request_id.$': '$.request.request_id',
  'correlation_id.$': '$.request.correlation_id',
  'user_id.$': '$.request.user_id',
};
const TRANSIENT = ['TransientError', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException', 'Sandbox.Timedout', 'States.Timeout'];

function state(name: string): State {
  const found = states[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
}

/** The Task states from `from`, following Next through Pass states, until a terminal state. */
function taskChain(from: string): string[] {
  const chain: string[] = [];
  for (let name: string | undefined = from; name !== undefined; name = state(name).Next) {
    if (state(name).Type === 'Task') chain.push(name);
  }
  return chain;
}

/** The first Task reached from `from` through Pass states, and the Pass states passed. */
function throughPasses(from: string): { passes: string[]; task: string } {
  const passes: string[] = [];
  let name = from;
  while (state(name).Type === 'Pass') {
    passes.push(name);
    name = state(name).Next as string;
  }
  return { passes, task: name };
}

function handlerOf(stateName: string): TaskHandlerInfo<TaskName> {
  const functionName = (state(stateName).Parameters as { FunctionName: string }).FunctionName;
  const fn = functions.get(functionName);
  if (!fn) throw new Error(`${stateName} invokes ${functionName}, which no serverless.yml declares`);
  const dot = fn.handler.lastIndexOf('.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(join(fn.dir, fn.handler.slice(0, dot))) as Record<string, TaskHandlerInfo<TaskName>>;
  return module[fn.handler.slice(dot + 1)] as TaskHandlerInfo<TaskName>;
}

const lambdaTasks = taskStates(definition)
  .filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke')
  .map(([name]) => name);

describe('the purchase saga definition', () => {
  it('goes ReserveInventory → ChargePayment → ConfirmPurchase → PublishConfirmed on the happy path', () => {
    expect(taskChain(definition.StartAt)).toEqual([...FORWARD, 'PublishConfirmed']);
    expect(state(state('PublishConfirmed').Next as string).Type).toBe('Succeed');
  });

  it('reaches every state, and every Next and Catch names a state that exists', () => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const s = state(name);
      if (s.Next) visit(s.Next);
      for (const c of s.Catch ?? []) visit(c.Next);
    };
    visit(definition.StartAt);
    expect([...seen].sort()).toEqual(Object.keys(states).sort());
  });

  it('keeps every task result at $.<State>Result, so the input survives', () => {
    for (const [name, s] of taskStates(definition)) expect({ name, resultPath: s.ResultPath }).toEqual({ name, resultPath: `$.${name}Result` });
  });

  describe.each(FORWARD)('forward task %s', (name) => {
    const s = state(name);

    it('retries transient errors with capped exponential backoff and full jitter, and never a business error', () => {
      expect(s.Retry).toHaveLength(1);
      const [retrier] = s.Retry as [Retrier];
      expect(new Set(retrier.ErrorEquals)).toEqual(new Set(TRANSIENT));
      expect(retrier).toMatchObject({ JitterStrategy: 'FULL', MaxAttempts: expect.any(Number) as number, MaxDelaySeconds: expect.any(Number) as number });
      expect(retrier.BackoffRate).toBeGreaterThan(1);
    });

    it('catches every error into its compensation, with the error at $.<State>Error', () => {
      const catchers = s.Catch ?? [];
      expect(catchers.length).toBeGreaterThan(0);
      expect(catchers.at(-1)?.ErrorEquals).toEqual(['States.ALL']);
      for (const catcher of catchers) {
        expect(catcher.ResultPath).toBe(`$.${name}Error`);
        const { passes, task } = throughPasses(catcher.Next);
        expect(passes).toHaveLength(1);
        expect(taskChain(task)).toEqual([...(COMPENSATION[name] as string[]), 'PublishFailed']);
      }
    });

    it('catches by name exactly the business errors its handler declares, and explains each with its code and message', () => {
      const handler = handlerOf(name);
      const catchers = (s.Catch ?? []).filter((c) => !c.ErrorEquals.includes('States.ALL'));
      const caught = catchers.flatMap((c) => c.ErrorEquals);
      expect([...caught].sort()).toEqual([...handler.errorNames].sort());
      for (const errorClass of handler.errors) {
        const error = new (errorClass as unknown as new () => InstanceType<TaskErrorClass>)();
        const catcher = catchers.find((c) => c.ErrorEquals.includes(error.name)) as Catcher;
        const explanation = state(catcher.Next);
        expect({ error: error.name, ...(explanation.Parameters as object) }).toEqual({
          error: error.name,
          ...ANSWERS,
          reason: error.code,
          message: error.message,
          ...(error.field === undefined ? {} : { field: error.field }),
        });
        expect(explanation.ResultPath).toBe('$.failure');
      }
    });

    it('explains anything else with a generic reason and no field', () => {
      const catchAll = (s.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL')) as Catcher;
      const explanation = state(catchAll.Next);
      expect(explanation.Parameters).toEqual({ ...ANSWERS, reason: expect.stringMatching(/^[A-Z_]+\.[A-Z_]+_ERROR$/) as string, message: expect.any(String) as string });
      expect(explanation.ResultPath).toBe('$.failure');
    });
  });

  describe.each(COMPENSATIONS)('compensation %s', (name) => {
    const s = state(name);

    it('retries every error with backoff until it succeeds, and catches nothing', () => {
      expect(s.Retry).toHaveLength(1);
      const [retrier] = s.Retry as [Retrier];
      expect(retrier.ErrorEquals).toEqual(['States.ALL']);
      expect(retrier.MaxAttempts).toBeGreaterThanOrEqual(50);
      expect(retrier.BackoffRate).toBeGreaterThan(1);
      expect(retrier).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number) as number });
      expect(s.Catch).toBeUndefined();
    });

    it('declares no business errors of its own (every failure is worth retrying)', () => {
      if (s.Resource === 'arn:aws:states:::lambda:invoke') expect(handlerOf(name).errorNames).toEqual([]);
    });
  });

  describe.each(lambdaTasks)('task %s', (name) => {
    const s = state(name);
    const handler = handlerOf(name);
    const schema = taskSchemas[handler.task];

    it('invokes a function of a serverless.yml whose handler is that task', () => {
      expect(handler.task).toEqual(expect.any(String));
      expect(Object.keys(taskSchemas)).toContain(handler.task);
    });

    it('passes exactly the fields its input schema names, every required one included', () => {
      const payload = (s.Parameters as { Payload: Record<string, unknown> }).Payload;
      const fields = Object.keys(payload).map((key) => key.replace(/\.\$$/, ''));
      expect(fields.filter((f) => !Object.hasOwn(schema.input.properties, f))).toEqual([]);
      expect(schema.input.required.filter((f) => !fields.includes(f))).toEqual([]);
    });

    it('selects only fields its output schema names', () => {
      const selector = (s.ResultSelector ?? {}) as Record<string, string>;
      for (const path of Object.values(selector)) {
        const field = /^\$\.Payload\.(\w+)$/.exec(path)?.[1];
        expect({ path, known: field !== undefined && Object.hasOwn(schema.output.properties, field) }).toEqual({ path, known: true });
      }
    });
  });

  it('publishes PURCHASE_CONFIRMED from the confirmation and PURCHASE_FAILED from the failure, on the platform bus', () => {
    const entry = (name: string) => (state(name).Parameters as { Entries: Record<string, unknown>[] }).Entries;
    expect(entry('PublishConfirmed')).toEqual([{ EventBusName: BUS, Source: 'centli.marketplace', DetailType: 'PURCHASE_CONFIRMED', 'Detail.$': '$.ConfirmPurchaseResult.detail' }]);
    expect(entry('PublishFailed')).toEqual([{ EventBusName: BUS, Source: 'centli.marketplace', DetailType: 'PURCHASE_FAILED', 'Detail.$': '$.failure' }]);
    expect(state(state('PublishFailed').Next as string).Type).toBe('Succeed');
  });
});
