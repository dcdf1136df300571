/**
 * The purchase saga on the local stack: what a purchase costs in time and in Step Functions
 * state transitions, against a transfer, the one-step money path the saga is built from.
 *
 * - Latency: PURCHASE_REQUEST put on the bus → PURCHASE_CONFIRMED accepted on the bus (the
 *   PublishConfirmed task's end, from the execution's history), p50 and p99 over 200 purchases
 *   from 8 clients; the baseline is TRANSFER_REQUEST → TRANSFER_COMPLETED through the same bus,
 *   from the same clients, in rounds interleaved with the purchases (bench/stack-probe.ts says
 *   how both are timed). Each client has its own shop and accounts, so nothing contends: this
 *   is the path's length, not a hot item's queue.
 * - Transitions: every path's states and retries, counted from the executions' histories as
 *   Standard workflows bill them (each state run, each retry). The business failures go through
 *   the bus; the failures AWS produces (a task failing transiently, once or for good) are
 *   injected around the real task handlers by a saga runner in this process, as
 *   tests/integration/marketplace/saga-faults.test.ts does, on the same DynamoDB Local and bus.
 * - The SPEI transfer, the second saga: its latency to its first answer and end to end less the
 *   participant's time, against transfers in the same rounds, and its transitions on every path
 *   (bench/spei-saga.ts).
 * - Cost: the same purchases on Express pricing (request + duration rounded up to 100 ms × the
 *   billed memory, from the measured execution times and the definition's and payload's sizes)
 *   against Standard's (transitions × price), bench/aws-prices.ts.
 */
import { join } from "node:path";
import {
  EventBridgeClient,
  PutEventsCommand,
} from "@aws-sdk/client-eventbridge";
import type { PurchaseRequest } from "@centli/schemas";
import { applyEnvironment, unionEnvironment } from "../local/environment";
import {
  loadSagaDefinition,
  SagaRunner,
  type ExecutionHistory,
  type TaskInvoker,
} from "../local/saga";
import {
  loadServiceConfigs,
  REPOSITORY_ROOT,
} from "../local/serverless-config";
import {
  purchaseIdFor,
  sagaInput,
} from "../services/marketplace/src/domain/purchase";
import {
  closeClients,
  createAccounts,
  endpoints,
  getJson,
  runId,
  putRequests,
  type TestAccount,
} from "../tests/integration/support";
import {
  openShop,
  purchaseRequest,
  type Shop,
} from "../tests/integration/marketplace/support";
import {
  expressExecutionCost,
  PRICES,
  standardExecutionCost,
} from "./aws-prices";
import {
  fromClients,
  median,
  type Benchmark,
  type Figure,
} from "./harness";
import {
  benchId,
  busRoundTrip,
  eventsWithDeliveries,
  ms,
  pushed,
  spread,
  until,
} from "./stack-probe";
import { pathOf, transitionsOf } from "./executions";
import { speiFigures } from "./spei-saga";
import { pooledPercentileRatio, type RoundSamples } from "./stats";

const SECTION = "Saga and conversation";
const RESULTS = ["PURCHASE_CONFIRMED", "PURCHASE_FAILED"];
const PUBLISH_STATES = ["PublishConfirmed", "PublishFailed"];
const DEFINITION = join(REPOSITORY_ROOT, "sagas", "purchase.asl.yml");

/** Express's billed memory: 50 MB + the definition + the largest state payload, in 64 MB chunks. */
function expressMemoryMb(definitionBytes: number, history: ExecutionHistory): number {
  const payload = Math.max(
    ...history.states.flatMap((s) => [
      JSON.stringify(s.input ?? null).length,
      JSON.stringify(s.output ?? null).length,
    ]),
  );
  const used = 50 + (definitionBytes + payload) / 2 ** 20;
  const chunk = PRICES.stepFunctions.expressMemoryChunkMb;
  return Math.ceil(used / chunk) * chunk;
}

/** What the tails say next to the medians, from the two ratios measured (not asserted). */
export function tails(p50Ratio: number, p99Ratio: number): string {
  const r = (x: number) => x.toFixed(2);
  if (p99Ratio < p50Ratio)
    return `Tails are closer than medians here (p99 ratio ${r(p99Ratio)} against p50 ${r(p50Ratio)}): a p99 on this shared machine is mostly waiting for a core, which both paths do.`;
  if (p99Ratio > p50Ratio)
    return `Tails are further apart than medians here (p99 ratio ${r(p99Ratio)} against p50 ${r(p50Ratio)}): the candidate's tail is the sum of more steps, each of which may wait.`;
  return `Tails and medians are the same ratio here (${r(p50Ratio)}).`;
}

interface Client {
  customer: TestAccount;
  payee: TestAccount;
  shop: Shop;
}

interface TimedPurchase {
  latencyMs: number;
  history: ExecutionHistory;
  /** The purchase function's delivery (StartExecution, PURCHASE_STARTED). */
  startMs: number;
}

/**
 * A purchase put on the bus, timed by the client's clock from the PutEvents call to the
 * PURCHASE_CONFIRMED (or PURCHASE_FAILED) pushed to it, as a transfer is timed
 * (bench/stack-probe.ts); the execution's history is read afterwards, outside the timing.
 */
async function timePurchase(request: PurchaseRequest): Promise<TimedPurchase> {
  const purchaseId = purchaseIdFor(request);
  const started = performance.now();
  await putRequests([{ detailType: "PURCHASE_REQUEST", detail: request }]);
  await pushed(request.correlation_id, { detailTypes: RESULTS });
  const latencyMs = performance.now() - started;
  const { history, startMs } = await until(
    `purchase ${purchaseId}`,
    async () => {
      const found = await getJson<ExecutionHistory>(
        `/executions/${purchaseId}`,
      ).catch(() => undefined);
      if (!found || found.status === "RUNNING") return undefined;
      const events = await eventsWithDeliveries(request.correlation_id);
      const start = events
        .find((e) => e["detail-type"] === "PURCHASE_REQUEST")
        ?.deliveries.find((d) => d.outcome === "succeeded");
      return { history: found, startMs: start?.durationMs ?? Number.NaN };
    },
    { firstMs: 0, everyMs: 5 },
  );
  if (!history.states.some((s) => PUBLISH_STATES.includes(s.name)))
    throw new Error(
      `purchase ${purchaseId} ended without publishing: ${pathOf(history)}`,
    );
  return { latencyMs, history, startMs };
}

/** A failure injected around a task: before it runs (the invocation failed), `times` calls in a row. */
type Fault = { state: string; times: number | "always"; name: string };

function injectedRunner(
  functions: ConstructorParameters<typeof SagaRunner>[0]["functions"],
  bus: EventBridgeClient,
  fault: () => Fault | undefined,
): SagaRunner {
  const calls = new Map<string, number>();
  return new SagaRunner({
    definitionFile: DEFINITION,
    stateMachineName: "centli-purchase-local",
    stage: "local",
    functions,
    imports: { "centli-event-bus-name-local": "centli-event-bus-local" },
    // Only the pauses are shortened: every retry still runs, and is still a transition.
    retryIntervalMs: 5,
    putEvents: async (entries) => bus.send(new PutEventsCommand({ Entries: entries })),
    wrapTask:
      (state: string, invoke: TaskInvoker): TaskInvoker =>
      async (input) => {
        const planned = fault();
        const key = `${JSON.stringify((input as { Payload?: { purchase_id?: string } } | null)?.Payload?.purchase_id)}:${state}`;
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (
          planned?.state === state &&
          (planned.times === "always" || n <= planned.times)
        ) {
          const error = new Error(
            JSON.stringify({
              errorType: planned.name,
              errorMessage: `injected: ${state} unavailable`,
              trace: [],
            }),
          );
          error.name = planned.name;
          throw error;
        }
        return invoke(input);
      },
  });
}

export const saga: Benchmark = {
  name: "saga",
  needsStack: true,
  async run({ quick, log }) {
    const clients = quick ? 4 : 8;
    const total = quick ? 16 : 200;
    const rounds = quick ? 2 : 4;
    const warmup = clients * (quick ? 1 : 3);
    const run = runId();

    // Prepare: per client a customer, a payee for the transfers and a shop of its own.
    const world: Client[] = await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const customer: TestAccount = {
          user_id: `user-${run}-c${c}`,
          account_id: `acc-${run}-c${c}`,
          balance: 1_000_000_000,
        };
        const payee: TestAccount = {
          user_id: `user-${run}-p${c}`,
          account_id: `acc-${run}-p${c}`,
          balance: 0,
        };
        await createAccounts([customer, payee]);
        const shop = await openShop(`${run}-s${c}`, {
          stock: 100_000,
          price: 25_000,
        });
        return { customer, payee, shop };
      }),
    );
    let serial = 0;
    const transfer = async (client: Client) => {
      const id = benchId(`t${serial++}`);
      return busRoundTrip("TRANSFER_REQUEST", {
        request_id: id,
        correlation_id: id,
        user_id: client.customer.user_id,
        from_account_id: client.customer.account_id,
        to_account_id: client.payee.account_id,
        amount: 100,
        currency: "MXN",
      });
    };
    const purchasesMade: TimedPurchase[] = [];
    const purchase = (client: Client) =>
      timePurchase(
        purchaseRequest(`${run}-b${serial++}`, client.shop, client.customer),
      );

    // Warm up both paths (DynamoDB Local's JVM, the handlers' modules) before measuring.
    await fromClients(clients, warmup, async (_, c) => {
      await transfer(world[c] as Client);
    });
    await fromClients(clients, warmup, async (_, c) => {
      await purchase(world[c] as Client);
    });

    // Act: rounds of transfers and purchases from the same clients, which goes first rotating.
    const transfers: number[] = [];
    const transferHandler: number[] = [];
    const purchases: number[] = [];
    const byRound: RoundSamples[] = [];
    for (let round = 0; round < rounds; round++) {
      const share = Math.ceil(total / rounds);
      const these = { candidate: [] as number[], baseline: [] as number[] };
      const transferRound = () =>
        fromClients(clients, share, async (_, c) => {
          const timed = await transfer(world[c] as Client);
          transfers.push(timed.latencyMs);
          these.baseline.push(timed.latencyMs);
          transferHandler.push(timed.handlerMs);
        });
      const purchaseRound = () =>
        fromClients(clients, share, async (_, c) => {
          const timed = await purchase(world[c] as Client);
          purchases.push(timed.latencyMs);
          these.candidate.push(timed.latencyMs);
          purchasesMade.push(timed);
        });
      if (round % 2 === 0) {
        await transferRound();
        await purchaseRound();
      } else {
        await purchaseRound();
        await transferRound();
      }
      byRound.push(these);
      log(
        `round ${round + 1}/${rounds} (${round % 2 === 0 ? "transfers" : "purchases"} first): transfer p50 ${ms(median(these.baseline))}, purchase p50 ${ms(median(these.candidate))}`,
      );
    }

    const confirmed = purchasesMade.filter(
      (p) => p.history.states.at(-1)?.name === "Confirmed",
    );
    if (confirmed.length !== purchasesMade.length)
      log(
        `${purchasesMade.length - confirmed.length} of ${purchasesMade.length} purchases did not confirm: ${[...new Set(purchasesMade.filter((p) => !confirmed.includes(p)).map((p) => pathOf(p.history)))].join("; ")}`,
      );
    const t = spread(transfers);
    const p = spread(purchases);
    const byState = (name: string) =>
      median(
        confirmed.flatMap((c) =>
          c.history.states
            .filter((s) => s.name === name)
            .flatMap((s) => s.attempts.map((a) => a.durationMs)),
        ),
      );
    const execution = median(
      confirmed.map((c) => c.history.durationMs ?? Number.NaN),
    );
    const taskSum =
      byState("ReserveInventory") +
      byState("ChargePayment") +
      byState("ConfirmPurchase") +
      byState("PublishConfirmed");
    log(
      `purchase p50 parts: purchase ${ms(median(confirmed.map((c) => c.startMs)))}, ReserveInventory ${ms(byState("ReserveInventory"))}, ChargePayment ${ms(byState("ChargePayment"))}, ConfirmPurchase ${ms(byState("ConfirmPurchase"))}, PublishConfirmed ${ms(byState("PublishConfirmed"))}; execution ${ms(execution)} (tasks ${ms(taskSum)}); transfer handler ${ms(median(transferHandler))}`,
    );

    const starting = median(confirmed.map((c) => c.startMs));
    const meaning =
      `A purchase makes two DynamoDB transactions (reserve: 3 items; charge: the same 5-item double entry a transfer writes) and five single-item calls (reserve's three consistent reads, charge's payment-record read, confirm's read and conditional update), plus StartExecution and two PutEvents; a transfer makes one 6-item transaction and one PutEvents. ` +
      `The ratio is that extra work: at p50, purchase (StartExecution, PURCHASE_STARTED) took ${ms(starting)}, the tasks ${ms(taskSum)} (reserve ${ms(byState("ReserveInventory"))}, charge ${ms(byState("ChargePayment"))}, confirm ${ms(byState("ConfirmPurchase"))}) of an execution of ${ms(execution)}, ${execution > taskSum ? `so the orchestration between tasks cost ${ms(execution - taskSum)}` : "(the tasks' medians add up to more than the execution's median: medians do not add, so the orchestration's share is not read off them here)"}; the transfer function took ${ms(median(transferHandler))}. ` +
      `${p.n} purchases and ${t.n} transfers from ${clients} clients, each with its own accounts and shop (nothing contends), in ${rounds} rounds (which goes first alternating) after ${warmup} warm-up runs of each; both timed by the client's clock, the answer pushed to it (bench/stack-probe.ts).`;
    const p50 = pooledPercentileRatio(byRound, 50);
    const p99 = pooledPercentileRatio(byRound, 99);
    const figures: Figure[] = [
      {
        section: SECTION,
        name: `purchase end to end, p50, ${clients} clients (PURCHASE_REQUEST put → PURCHASE_CONFIRMED pushed to the client)`,
        value: p50.value,
        unit: "ms",
        baseline: {
          name: "transfer end to end, p50 (TRANSFER_REQUEST put → TRANSFER_COMPLETED pushed)",
          value: p50.baseline,
        },
        ratio: p50.ratio,
        ratioInterval: p50.interval,
        rounds: p50.rounds,
        note: meaning,
      },
      {
        section: SECTION,
        name: `purchase end to end, p99, ${clients} clients`,
        value: p99.value,
        unit: "ms",
        baseline: { name: "transfer end to end, p99", value: p99.baseline },
        ratio: p99.ratio,
        ratioInterval: p99.interval,
        rounds: p99.rounds,
        note: tails(p50.ratio, p99.ratio),
      },
    ];

    // The SPEI transfer, its own saga, from the same clients (bench/spei-saga.ts).
    figures.push(
      ...(await speiFigures({
        customers: world,
        transfer: (c) => transfer(world[c] as Client),
        perRound: clients * (quick ? 1 : 4),
        rounds,
        log,
      })),
    );

    // Transitions on every path: the business failures through the bus, once each.
    const definitionBytes = JSON.stringify(
      loadSagaDefinition(DEFINITION, "local", {
        "centli-event-bus-name-local": "centli-event-bus-local",
      }),
    ).length;
    const c0 = world[0] as Client;
    const scarce = await openShop(`${run}-scarce`, { stock: 1, price: 25_000 });
    const poor: TestAccount = {
      user_id: `user-${run}-poor`,
      account_id: `acc-${run}-poor`,
      balance: 1_000,
    };
    const stranger: TestAccount = {
      user_id: `user-${run}-stranger`,
      account_id: `acc-${run}-stranger`,
      balance: 0,
    };
    await createAccounts([poor, stranger]);
    const viaBus: [string, PurchaseRequest][] = [
      [
        "out of stock (nothing reserved)",
        purchaseRequest(`${run}-oos`, scarce, c0.customer, { quantity: 2 }),
      ],
      [
        "product not found",
        purchaseRequest(`${run}-pnf`, c0.shop, c0.customer, {
          product_id: `prod-${run}-missing`,
        }),
      ],
      [
        "installments not available",
        purchaseRequest(`${run}-msi`, c0.shop, c0.customer, { installments: 6 }),
      ],
      [
        "insufficient funds (payment refused after the reservation: void, release)",
        purchaseRequest(`${run}-nsf`, c0.shop, poor),
      ],
      [
        "account not the customer’s (payment refused after the reservation)",
        purchaseRequest(`${run}-anf`, c0.shop, stranger, {
          account_id: c0.customer.account_id,
        }),
      ],
    ];
    const first = confirmed[0];
    if (!first) throw new Error("no purchase was confirmed");
    const paths: { name: string; history: ExecutionHistory }[] = [
      { name: "success", history: first.history },
    ];
    const compensated: number[] = [];
    for (const [name, request] of viaBus) {
      const timed = await timePurchase(request);
      paths.push({ name, history: timed.history });
      if (name.startsWith("insufficient funds"))
        compensated.push(timed.history.durationMs ?? Number.NaN);
    }
    // A few more of the compensation path, for its Express duration.
    for (let i = 0; i < (quick ? 1 : 9); i++) {
      const timed = await timePurchase(
        purchaseRequest(`${run}-nsf${i}`, c0.shop, poor),
      );
      compensated.push(timed.history.durationMs ?? Number.NaN);
    }

    // The failures AWS produces, injected around the real handlers by a runner in this process.
    const stack = endpoints();
    const functions = loadServiceConfigs({ stage: "local" }).flatMap(
      (s) => s.functions,
    );
    const restore = applyEnvironment({
      ...unionEnvironment(functions),
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
      AWS_ENDPOINT_URL_EVENTBRIDGE: stack.eventbridge,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    const bus = new EventBridgeClient({
      endpoint: stack.eventbridge,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    let fault: Fault | undefined;
    const runner = injectedRunner(functions, bus, () => fault);
    try {
      const injected: [string, Fault][] = [
        [
          "a task failing once (ChargePayment retried, then confirmed)",
          { state: "ChargePayment", times: 1, name: "TransientError" },
        ],
        [
          "payment failing for good (4 attempts; void, release)",
          { state: "ChargePayment", times: "always", name: "TransientError" },
        ],
        [
          "confirmation failing for good after the charge (4 attempts; refund, release)",
          { state: "ConfirmPurchase", times: "always", name: "TransientError" },
        ],
      ];
      for (const [i, [name, planned]] of injected.entries()) {
        fault = planned;
        const input = sagaInput(
          purchaseRequest(`${run}-f${i}`, c0.shop, c0.customer),
        );
        runner.startExecution({
          stateMachineArn: runner.stateMachineArn,
          name: input.purchase_id,
          input: JSON.stringify(input),
        });
        paths.push({ name, history: await runner.wait(input.purchase_id, 60_000) });
      }
    } finally {
      await runner.stop();
      bus.destroy();
      restore();
    }

    const success = paths[0] as { name: string; history: ExecutionHistory };
    const successTransitions = transitionsOf(success.history);
    for (const { name, history } of paths) {
      const n = transitionsOf(history);
      log(`${name}: ${n} transitions: ${pathOf(history)}`);
      figures.push({
        section: SECTION,
        name: `state transitions per purchase, ${name}`,
        value: n,
        unit: "transitions",
        ...(history === success.history
          ? {}
          : {
              baseline: { name: "success path", value: successTransitions },
              ratio: n / successTransitions,
            }),
        note: `${pathOf(history)}: $${(standardExecutionCost(n) * 1e6).toFixed(0)} per million purchases on Standard ($${PRICES.stepFunctions.standardTransition * 1e3} per 1,000 transitions).`,
      });
    }

    // Standard against Express, per million purchases, at the measured execution times.
    const memory = expressMemoryMb(definitionBytes, success.history);
    const costFigure = (
      name: string,
      durations: readonly number[],
      transitions: number,
    ): Figure => {
      const express =
        (durations.reduce((sum, d) => sum + expressExecutionCost(d, memory), 0) /
          durations.length) *
        1e6;
      const standard = standardExecutionCost(transitions) * 1e6;
      return {
        section: SECTION,
        name: `Step Functions cost per million purchases on Standard (as deployed), ${name}`,
        value: standard,
        unit: "USD",
        baseline: { name: "the same executions on Express", value: express },
        ratio: standard / express,
        note:
          `Standard: ${transitions} transitions × $0.000025. Express: $1 per million executions + the duration rounded up to 100 ms × ${memory} MB (50 MB + the ${Math.round(definitionBytes / 1024)} KB definition + the payload, in 64 MB chunks) × $${PRICES.stepFunctions.expressGbSecond}/GB-s, at the executions measured here (p50 ${ms(median(durations))}; AWS's would be shorter, which only widens the gap). ` +
          "Express would be cheaper but is not safe as the saga stands: an asynchronous Express execution runs at least once and a second StartExecution of the same name starts a second run, so two runs of one purchase can race; the tasks' idempotency makes each step safe to repeat, not two runs safe together: a run that gives up on a task compensates (release, refund) a purchase the other run confirmed and announced. Express also stops at 5 minutes (the compensations retry for longer) and has no DescribeExecution (start-purchase and purchase-status use it). See bench/COST.md.",
      };
    };
    figures.push(
      costFigure(
        "success path",
        confirmed.map((c) => c.history.durationMs ?? Number.NaN),
        successTransitions,
      ),
    );
    const nsf = paths.find((x) => x.name.startsWith("insufficient funds"));
    if (nsf)
      figures.push(
        costFigure(
          "insufficient funds (compensated)",
          compensated,
          transitionsOf(nsf.history),
        ),
      );
    closeClients();
    return figures;
  },
};
