/**
 * No valid-looking event crashes a handler. For every request detail-type in schemas/, details
 * derived from its schema (fast-check, fixed seed, with edge values: bounds, leap seconds, huge
 * and tiny numbers, Unicode, the longest strings allowed) are delivered to the function that
 * handles it, through the local stack's Lambda Invoke API exactly as its bus rule delivers them.
 * Every one must be answered (its answer or its *_FAILED with a stable code), within
 * EventBridge's entry size limit, and never throw (a throw is a retry, then the DLQ, and a
 * customer left without an answer).
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import { detailValidator, eventSchemas, isDetailType, isFailureType, requestRoutes, toolSpecs, type DetailType } from '@centli/schemas';
import { queriesMade } from '@centli/tools/plan';
import { functionForRequest, functionNameOf } from '@centli/tools/registry';
import { closeClients, createAccounts, endpoints } from './support';
import { arbitraryOf } from './schema-arbitrary';

/** EventBridge's limit on one entry: Source, DetailType, Detail (and Resources) together. */
const MAX_ENTRY_BYTES = 256 * 1024;
const SEED = 20261126;
const REQUESTS = Object.keys(requestRoutes).sort() as DetailType[];
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const CUSTOMER = 'user-hostile-input';

let lambda: LambdaClient;

interface Answer {
  detailType: string;
  detail: Record<string, unknown>;
}

async function deliver(detailType: DetailType, detail: unknown): Promise<{ answers?: Answer[]; error?: string }> {
  const event = { version: '0', id: randomUUID(), 'detail-type': detailType, source: 'centli.agent-gateway', account: '000000000000', time: '2026-11-26T18:00:00Z', region: 'us-east-1', resources: [], detail };
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionNameOf(functionForRequest(detailType), 'local'), Payload: JSON.stringify(event) }));
  const text = Buffer.from(result.Payload ?? []).toString();
  return result.FunctionError ? { error: text.slice(0, 500) } : { answers: JSON.parse(text) as Answer[] };
}

function problemsOf(detailType: DetailType, outcome: { answers?: Answer[]; error?: string }): string[] {
  if (outcome.error) return [`threw: ${outcome.error}`];
  const problems: string[] = [];
  for (const answer of outcome.answers ?? []) {
    if (!isDetailType(answer.detailType)) problems.push(`answered an unknown detail-type ${answer.detailType}`);
    else {
      const violation = detailValidator(answer.detailType)(answer.detail);
      if (violation) problems.push(`answered a ${answer.detailType} its schema refuses: ${violation.message}`);
    }
    if (isFailureType(answer.detailType) && !/^[A-Z_]+\.[A-Z_]+$/.test(String(answer.detail.reason))) problems.push(`a failure without a stable code: ${String(answer.detail.reason)}`);
    const size = Buffer.byteLength(`centli.service${answer.detailType}${JSON.stringify(answer.detail)}`);
    if (size > MAX_ENTRY_BYTES) problems.push(`a ${answer.detailType} of ${size} bytes, over EventBridge's ${MAX_ENTRY_BYTES}`);
  }
  // purchase answers PURCHASE_STARTED (the saga answers the rest); every other request is answered at once.
  if ((outcome.answers ?? []).length === 0) problems.push(`${detailType} got no answer`);
  return problems;
}

describe('every request handler, with any detail its schema accepts', () => {
  beforeAll(async () => {
    lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
    await createAccounts([{ user_id: CUSTOMER, account_id: 'acc-hostile-input', balance: 100_000 }]);
  });

  afterAll(() => {
    lambda.destroy();
    closeClients();
  });

  it('covers every request detail-type a door can make: every tool’s, and every query a plan makes', () => {
    expect(REQUESTS).toEqual(expect.arrayContaining([...new Set([...toolSpecs.map((tool) => tool.request), ...queriesMade])]));
    for (const type of REQUESTS) expect(isDetailType(type)).toBe(true);
  });

  it.each([
    ['a leap second in a history range', 'TRANSACTIONS_QUERY', { from: '2026-12-31T23:59:60Z' }],
    ['a price of 1e300', 'CATALOG_QUERY', { max_price: 1e300 }],
    ['a 120 KB unknown field name', 'BALANCE_QUERY', { ['x'.repeat(120_000)]: 1 }],
  ] as const)('answers %s (found by hand) with REQUEST.INVALID, small', async (_name, detailType, extra) => {
    const outcome = await deliver(detailType, { request_id: 'req-by-hand', correlation_id: 'corr-by-hand', user_id: CUSTOMER, ...extra });
    expect(problemsOf(detailType, outcome)).toEqual([]);
    expect(outcome.answers?.[0]?.detail).toMatchObject({ reason: 'REQUEST.INVALID' });
    expect(JSON.stringify(outcome.answers).length).toBeLessThan(2000);
  });

  it.each(REQUESTS.map((type) => [type]))('%s never throws and always answers', async (detailType) => {
    const type = detailType as DetailType;
    const schema = eventSchemas[type] as unknown as Record<string, unknown>;
    const valid = detailValidator(type);
    const details = arbitraryOf(schema, String(schema.$id))
      .map((detail) => ({ ...(detail as Record<string, unknown>) }))
      .chain((detail) => fc.boolean().map((ours) => (ours ? { ...detail, user_id: CUSTOMER } : detail)))
      .filter((detail) => valid(detail) === undefined);
    await fc.assert(
      fc.asyncProperty(details, async (detail) => {
        const problems = problemsOf(type, await deliver(type, detail));
        if (problems.length > 0) throw new Error(`${type} ${JSON.stringify(detail).slice(0, 300)}: ${problems.join('; ')}`);
      }),
      { seed: SEED, numRuns: type === 'PURCHASE_REQUEST' ? 15 : 100, endOnFailure: true },
    );
  });
});
