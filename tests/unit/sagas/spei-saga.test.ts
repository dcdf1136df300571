/**
 * The SPEI saga on the local runner, every task faked through `wrapTask` except the token wait,
 * which the runner itself maps (aws-local-stepfunctions knows no task tokens): AwaitResult's
 * function gets a fresh token where the definition says `$$.Task.Token`, the state waits for
 * SendTaskSuccess / SendTaskFailure with it, or fails with States.Timeout after the input's
 * timeout_seconds and the token goes stale. The structural checks walk the definition: every task
 * retries or catches, the money's end retries until done, every payload is what its schema takes.
 */
import { join } from 'node:path';
import { taskSchemas, type TaskName } from '@centli/schemas';
import { loadSagaDefinition, runnableDefinition, SagaRunner, StepFunctionsApiError, taskStates, type SagaEventEntry, type TaskInvoker } from '../../../local/saga';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';

const FILE = join(REPOSITORY_ROOT, 'sagas', 'spei-transfer.asl.yml');
const IMPORTS = { 'centli-event-bus-name-local': 'centli-event-bus-local' };
const definition = loadSagaDefinition(FILE, 'local', IMPORTS);
const fakeFunctions = taskStates(definition)
  .map(([, s]) => (s.Parameters as { FunctionName?: string }).FunctionName)
  .filter((n): n is string => n !== undefined)
  .map((functionName) => ({ functionName, dir: '/nowhere', handler: 'fake.handler', timeout: 10, memorySize: 128 }));

type Json = Parameters<TaskInvoker>[0];
type Behaviour = (payload: Record<string, unknown>, runner: SagaRunner) => unknown;

const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', from_account_id: 'acc-ana', to_clabe: '002180012345678906', beneficiary_name: 'María', amount: 25_000, currency: 'MXN' };
const input = { transfer_id: 'spei-1', clave_rastreo: 'CENTLI1', timeout_seconds: 1, request };
const ids = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' };
const completed = { ...ids, transaction_id: 'txn-1', from_account_id: 'acc-ana', to_account_id: 'acc-spei-liquidacion-0001', amount: 25_000, currency: 'MXN', formatted_amount: '$250.00', completed_at: '2026-12-06T18:00:00.000Z' };
const sent = { ...ids, transfer_id: 'spei-1', clave_rastreo: 'CENTLI1', from_account_id: 'acc-ana', to_clabe: '002180012345678906', beneficiary_name: 'María', amount: 25_000, currency: 'MXN', formatted_amount: '$250.00', sent_at: '2026-12-06T18:00:00.000Z' };
const givenBack = { ...ids, reason: 'SPEI.TIMED_OUT', message: 'The receiving bank did not confirm the transfer in time.' };

/** The result the participant sends, by SendTaskSuccess with the token AwaitResult was given. */
const answers =
  (status: string): Behaviour =>
  (payload, runner) => {
    setTimeout(() => runner.sendTaskSuccess({ taskToken: payload.task_token, output: JSON.stringify({ status }) }), 20);
    return { transfer_id: 'spei-1', waiting: true };
  };

const happy: Record<string, Behaviour> = {
  Hold: () => ({ transfer_id: 'spei-1', held: true, transaction_id: 'txn-1' }),
  SendOrder: () => ({ transfer_id: 'spei-1', detail: sent }),
  AwaitResult: answers('liquidada'),
  ResolveTimeout: () => ({ transfer_id: 'spei-1', status: 'timed_out' }),
  Settle: () => ({ transfer_id: 'spei-1', detail: completed }),
  GiveBack: () => ({ transfer_id: 'spei-1', detail: givenBack }),
};

function setup(overrides: Record<string, Behaviour> = {}) {
  const behaviours = { ...happy, ...overrides };
  const calls: Record<string, Record<string, unknown>[]> = {};
  const published: SagaEventEntry[] = [];
  const runner: SagaRunner = new SagaRunner({
    definitionFile: FILE,
    stateMachineName: 'centli-spei-transfer-local',
    stage: 'local',
    functions: fakeFunctions,
    imports: IMPORTS,
    retryIntervalMs: 1,
    putEvents: async (entries) => {
      published.push(...entries);
      return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `evt-${i}` })) };
    },
    wrapTask: (state, real) => {
      const behaviour = behaviours[state];
      if (!behaviour) return real;
      // AwaitResult's wrapper sees the whole waiting call: its behaviour stands in for the function only.
      if (state === 'AwaitResult') return real;
      return async (taskInput: Json) => {
        const payload = (taskInput as { Payload: Record<string, unknown> }).Payload;
        (calls[state] ??= []).push(payload);
        return { Payload: (await behaviour(payload, runner)) as Json, StatusCode: 200 };
      };
    },
  });
  return { runner, calls, published, behaviours };
}

const path = (history: { states: { name: string }[] }) => history.states.map((s) => s.name);
const types = (entries: SagaEventEntry[]) => entries.map((e) => e.DetailType);

describe('runnableDefinition', () => {
  it('replaces $$.Task.Token with a placeholder and carries the TimeoutSecondsPath in the parameters', () => {
    const state = runnableDefinition(definition).States.AwaitResult as Record<string, unknown>;
    expect(JSON.stringify(state.Parameters)).not.toContain('$$.Task.Token');
    expect(state.Parameters).toMatchObject({ '__centli_timeout_seconds.$': '$.timeout_seconds', Payload: { task_token: expect.any(String) } });
    expect(state).not.toHaveProperty('TimeoutSecondsPath');
    expect(definition.States.AwaitResult).toMatchObject({ TimeoutSecondsPath: '$.timeout_seconds' });
  });
});

describe('the SPEI saga on the local runner', () => {
  async function run(overrides: Record<string, Behaviour> = {}) {
    const { runner, calls, published, behaviours } = setup(overrides);
    // The waiting state invokes its function in process: point that at the behaviour.
    const lambda = await import('../../../local/lambda');
    const spy = jest.spyOn(lambda, 'invokeFunction').mockImplementation(async (fn, payload) => {
      if (!fn.functionName.endsWith('spei-await-result')) throw new Error(`unexpected invocation of ${fn.functionName}`);
      (calls.AwaitResult ??= []).push(payload as Record<string, unknown>);
      return (behaviours.AwaitResult as Behaviour)(payload as Record<string, unknown>, runner);
    });
    try {
      runner.startExecution({ stateMachineArn: runner.stateMachineArn, name: 'spei-1', input: JSON.stringify(input) });
      const history = await runner.wait('spei-1', 10_000);
      return { history, calls, published, runner };
    } finally {
      spy.mockRestore();
    }
  }

  it('holds, sends, publishes SENT, waits for the token’s result, settles and publishes COMPLETED', async () => {
    const { history, calls, published } = await run();

    expect(history.status).toBe('SUCCEEDED');
    expect(path(history)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'Outcome', 'Settle', 'PublishCompleted', 'Settled']);
    expect(types(published)).toEqual(['SPEI_TRANSFER_SENT', 'TRANSFER_COMPLETED']);
    expect(calls.AwaitResult?.[0]).toMatchObject({ transfer_id: 'spei-1', task_token: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/) });
    expect(history.contractViolations).toEqual([]);
  });

  it('gives the money back when the result is devuelta', async () => {
    const { history, published } = await run({ AwaitResult: answers('devuelta') });

    expect(path(history)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'Outcome', 'GiveBack', 'PublishFailed', 'GivenBack']);
    expect(types(published)).toEqual(['SPEI_TRANSFER_SENT', 'TRANSFER_FAILED']);
  });

  it('times the wait out after the input’s timeout_seconds, resolves the timeout and gives the money back; the stale token is TaskTimedOut', async () => {
    const { history, published, runner, calls } = await run({ AwaitResult: () => ({ transfer_id: 'spei-1', waiting: true }) });

    expect(path(history)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'ResolveTimeout', 'Outcome', 'GiveBack', 'PublishFailed', 'GivenBack']);
    expect(history.states.find((s) => s.name === 'AwaitResult')?.error?.error).toBe('States.Timeout');
    expect(types(published)).toEqual(['SPEI_TRANSFER_SENT', 'TRANSFER_FAILED']);
    const token = calls.AwaitResult?.[0]?.task_token;
    expect(() => runner.sendTaskSuccess({ taskToken: token, output: '{"status":"liquidada"}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(() => runner.sendTaskSuccess({ taskToken: 'never-given', output: '{}' })).toThrow(StepFunctionsApiError);
  });

  it('follows the result ResolveTimeout finds recorded in the race: settled, never given back', async () => {
    const { history } = await run({ AwaitResult: () => ({ transfer_id: 'spei-1', waiting: true }), ResolveTimeout: () => ({ transfer_id: 'spei-1', status: 'liquidada' }) });

    expect(path(history)).toContain('Settle');
    expect(path(history)).not.toContain('GiveBack');
  });

  it('fails the wait with the error SendTaskFailure names, and resolves it as unanswered', async () => {
    const { history } = await run({
      AwaitResult: (payload, runner) => {
        setTimeout(() => runner.sendTaskFailure({ taskToken: payload.task_token, error: 'ParticipantDown', cause: 'no route' }), 20);
        return { transfer_id: 'spei-1', waiting: true };
      },
    });

    expect(history.states.find((s) => s.name === 'AwaitResult')?.error?.error).toBe('ParticipantDown');
    expect(path(history)).toContain('ResolveTimeout');
  });

  it('publishes the hold’s refusal as it is and moves nothing else', async () => {
    const failure = { ...ids, reason: 'TRANSFER.INSUFFICIENT_FUNDS', message: 'You do not have enough funds. No money moved.' };
    const { history, published, calls } = await run({ Hold: () => ({ transfer_id: 'spei-1', held: false, failure }) });

    expect(path(history)).toEqual(['Hold', 'Held', 'PublishRefused', 'Refused']);
    expect(published.map((e) => JSON.parse(e.Detail) as unknown)).toEqual([failure]);
    expect(calls.SendOrder).toBeUndefined();
  });

  it('closes a request whose hold failed, through ResolveTimeout, and publishes its failure', async () => {
    const failure = { ...ids, reason: 'TRANSFER.FAILED', message: 'We could not send the transfer just now.' };
    const { history, published } = await run({
      Hold: () => {
        throw Object.assign(new Error('boom'), { name: 'Error' });
      },
      ResolveTimeout: () => ({ transfer_id: 'spei-1', status: 'not_held', failure }),
    });

    expect(path(history)).toEqual(['Hold', 'ResolveTimeout', 'Outcome', 'PublishNotHeld', 'Refused']);
    expect(published.map((e) => JSON.parse(e.Detail) as unknown)).toEqual([failure]);
  });
});

describe('the SPEI saga’s shape', () => {
  const states = definition.States as Record<string, Record<string, unknown> & { Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }>; Catch?: unknown[] }>;

  it.each(['Hold', 'SendOrder', 'AwaitResult'])('%s catches everything into ResolveTimeout', (name) => {
    expect(states[name]?.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'ResolveTimeout' })]);
  });

  it.each(['ResolveTimeout', 'Settle', 'GiveBack', 'PublishSent', 'PublishCompleted', 'PublishFailed', 'PublishRefused', 'PublishNotHeld'])('%s retries until it is done', (name) => {
    expect(states[name]?.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 100 })]);
  });

  it('does not retry the wait on its own timeout: a timeout is the answer "no result in time"', () => {
    expect(states.AwaitResult?.Retry?.flatMap((r) => r.ErrorEquals)).not.toContain('States.Timeout');
  });

  it.each(taskStates(definition).filter(([, s]) => (s.Parameters as { FunctionName?: string }).FunctionName !== undefined))('%s passes its task exactly what its input schema names', (_name, state) => {
    const fn = (state.Parameters as { FunctionName: string }).FunctionName;
    const task = fn.replace('centli-core-banking-local-', '') as TaskName;
    const schema = taskSchemas[task].input as { properties: Record<string, unknown>; required: string[] };
    const passed = Object.keys((state.Parameters as { Payload: Record<string, unknown> }).Payload).map((key) => key.replace(/\.\$$/, ''));
    expect(passed.sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.required.every((field) => passed.includes(field))).toBe(true);
  });
});
