/**
 * The SPEI transfer in the saga benchmark (bench/saga.bench.ts): sagas/spei-transfer.asl.yml run
 * by the local stack's saga runner with the real task handlers, against DynamoDB Local, the bus
 * and the local SPEI participant (local/spei.ts), which settles an order about a second after
 * accepting it (as a participant answers within seconds) and answers by the destination CLABE's
 * account digits.
 *
 * - Latency, in rounds alternating with transfers between Centli accounts from the same clients:
 *   SPEI_TRANSFER_REQUEST put → SPEI_TRANSFER_STARTED pushed (what the customer first hears:
 *   "sending"), and → TRANSFER_COMPLETED pushed; Centli's own part of the latter is the end to
 *   end less AwaitResult's time in the execution's history (the wait for the participant).
 * - Transitions and Standard cost on every path: settled (from the timed ones), returned
 *   (`…0000`), never answered (`…9999`: the saga's timeout, 5 s locally, then the cancel asked of
 *   the participant) and settled with its result lost (`…8888`: the timeout finds it settled).
 */
import type { SpeiTransferRequest } from "@centli/schemas";
import { makeClabe } from "@centli/pure/clabe";
import type { ExecutionHistory } from "../local/saga";
import { speiTransferId } from "../services/core-banking/src/domain/spei-out";
import { getJson, putRequests, type TestAccount } from "../tests/integration/support";
import { PRICES, standardExecutionCost } from "./aws-prices";
import { pathOf, transitionsOf } from "./executions";
import { fromClients, median, type Figure } from "./harness";
import { benchId, ms, pushed, until, type BusTiming } from "./stack-probe";
import { pooledPercentileRatio, type RoundSamples } from "./stats";

const SECTION = "Saga and conversation";
const FINAL = ["TRANSFER_COMPLETED", "TRANSFER_FAILED"];

/** A BBVA CLABE whose account digits end as the local participant reads them. */
const clabeEnding = (serial: number, ending: string) =>
  makeClabe({ bank: "012", plaza: "180", account: `${String(serial).padStart(7, "0")}${ending}` });

interface TimedSpei {
  startedMs: number;
  finalMs: number;
  final: string;
  history: ExecutionHistory;
  /** AwaitResult's time in the execution (its attempts: the task and the wait for its token). */
  awaitMs: number;
}

/** One SPEI transfer put on the bus, timed by the client's clock to its first answer and to its last; the execution is read afterwards. */
async function timeSpei(customer: TestAccount, toClabe: string): Promise<TimedSpei> {
  const id = benchId("spei");
  const request: SpeiTransferRequest = {
    request_id: id,
    correlation_id: id,
    user_id: customer.user_id,
    from_account_id: customer.account_id,
    to_clabe: toClabe,
    beneficiary_name: "María Elena Ruiz",
    amount: 100,
    currency: "MXN",
  };
  const started = performance.now();
  await putRequests([{ detailType: "SPEI_TRANSFER_REQUEST", detail: request }]);
  const first = await pushed(id, { detailTypes: ["SPEI_TRANSFER_STARTED", "TRANSFER_FAILED"] });
  const startedMs = performance.now() - started;
  const events = first.some((e) => e["detail-type"] === "TRANSFER_FAILED") ? first : await pushed(id, { detailTypes: FINAL });
  const finalMs = performance.now() - started;
  const final = events.find((e) => FINAL.includes(e["detail-type"]))?.["detail-type"] ?? "none";
  const transferId = speiTransferId(request);
  const history = await until(
    `SPEI transfer ${transferId}`,
    async () => {
      const found = await getJson<ExecutionHistory>(`/executions/${transferId}`).catch(() => undefined);
      return found && found.status !== "RUNNING" ? found : undefined;
    },
    { firstMs: 0, everyMs: 20 },
  );
  const awaitMs = history.states
    .filter((s) => s.name === "AwaitResult")
    .reduce((sum, s) => sum + s.attempts.reduce((a, attempt) => a + attempt.durationMs, 0), 0);
  return { startedMs, finalMs, final, history, awaitMs };
}

/**
 * The SPEI figures: `rounds` rounds of transfers and SPEI transfers from `customers` (one client
 * each), which goes first alternating, after a warm-up of each; then one transfer down each
 * other path.
 */
export async function speiFigures(options: {
  customers: readonly { customer: TestAccount }[];
  /** The saga benchmark's transfer between Centli accounts, from client `c`. */
  transfer: (c: number) => Promise<BusTiming>;
  perRound: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<Figure[]> {
  const { customers, transfer, perRound, rounds, log } = options;
  const clients = customers.length;
  let serial = Date.now() % 1_000_000;
  const spei = (c: number) => timeSpei((customers[c] as { customer: TestAccount }).customer, clabeEnding(serial++, "1234"));

  await fromClients(clients, clients, async (_, c) => {
    await transfer(c);
    await spei(c);
  });
  const toStarted: RoundSamples[] = [];
  const ownPart: RoundSamples[] = [];
  const timed: TimedSpei[] = [];
  for (let round = 0; round < rounds; round++) {
    const transfers: number[] = [];
    const these: TimedSpei[] = [];
    const transferRound = () =>
      fromClients(clients, perRound, async (_, c) => {
        transfers.push((await transfer(c)).latencyMs);
      });
    const speiRound = () =>
      fromClients(clients, perRound, async (_, c) => {
        these.push(await spei(c));
      });
    if (round % 2 === 0) {
      await transferRound();
      await speiRound();
    } else {
      await speiRound();
      await transferRound();
    }
    const completed = these.filter((t) => t.final === "TRANSFER_COMPLETED");
    if (completed.length !== these.length)
      throw new Error(`${these.length - completed.length} of ${these.length} SPEI transfers did not complete: ${[...new Set(these.filter((t) => !completed.includes(t)).map((t) => pathOf(t.history)))].join("; ")}`);
    timed.push(...these);
    toStarted.push({ candidate: these.map((t) => t.startedMs), baseline: transfers });
    ownPart.push({ candidate: these.map((t) => t.finalMs - t.awaitMs), baseline: transfers });
    log(`SPEI round ${round + 1}/${rounds}: transfer p50 ${ms(median(transfers))}, SPEI to STARTED p50 ${ms(median(these.map((t) => t.startedMs)))}, to COMPLETED p50 ${ms(median(these.map((t) => t.finalMs)))}`);
  }

  const figures: Figure[] = [];
  const count = `${timed.length} SPEI transfers and as many transfers from ${clients} clients in ${rounds} rounds (which goes first alternating), after a warm-up of each; timed by the client's clock, the answers pushed (bench/stack-probe.ts)`;
  for (const p of [50, 99]) {
    const started = pooledPercentileRatio(toStarted, p);
    figures.push({
      section: SECTION,
      name: `SPEI transfer to its first answer, p${p}, ${clients} clients (SPEI_TRANSFER_REQUEST put → SPEI_TRANSFER_STARTED pushed)`,
      value: started.value,
      unit: "ms",
      baseline: { name: `transfer end to end, p${p}`, value: started.baseline },
      ratio: started.ratio,
      ratioInterval: started.interval,
      rounds: started.rounds,
      ...(p === 50
        ? { note: `What the customer hears first ("sending"): the starter function checks the request and starts the saga (StartExecution) and answers; the hold, the order and the participant come after. ${count}.` }
        : {}),
    });
  }
  const awaitP50 = median(timed.map((t) => t.awaitMs));
  const finalP50 = median(timed.map((t) => t.finalMs));
  for (const p of [50, 99]) {
    const own = pooledPercentileRatio(ownPart, p);
    figures.push({
      section: SECTION,
      name: `SPEI transfer end to end less the wait for the participant, p${p}, ${clients} clients (→ TRANSFER_COMPLETED pushed, less AwaitResult's time)`,
      value: own.value,
      unit: "ms",
      baseline: { name: `transfer end to end, p${p}`, value: own.baseline },
      ratio: own.ratio,
      ratioInterval: own.interval,
      rounds: own.rounds,
      ...(p === 50
        ? { note: `Centli's own part of a SPEI transfer: the starter, Hold (the transfer's one transaction, into the in-transit account), SendOrder, PublishSent, the result received and handed to the token, Settle and the answer, with the Step Functions runner's steps between. End to end it took ${ms(finalP50)} at p50, of which AwaitResult ${ms(awaitP50)}: the local participant settles about a second after it accepts an order, which stands for the SPEI network and is not Centli's.` }
        : {}),
    });
  }

  // Every other path, once each, all at once (two of them wait for the saga's timeout).
  const customer = (customers[0] as { customer: TestAccount }).customer;
  const paths = [
    { name: "settled (liquidada)", history: (timed[0] as TimedSpei).history },
    ...(await Promise.all(
      [
        { name: "returned by the receiving bank (devuelta)", ending: "0000" },
        { name: "never answered (the timeout; the participant cancels it)", ending: "9999" },
        { name: "settled, its result lost (the timeout finds it settled)", ending: "8888" },
      ].map(async ({ name, ending }) => ({ name, history: (await timeSpei(customer, clabeEnding(serial++, ending))).history })),
    )),
  ];
  const settled = transitionsOf((paths[0] as { history: ExecutionHistory }).history);
  for (const [i, { name, history }] of paths.entries()) {
    const n = transitionsOf(history);
    log(`SPEI ${name}: ${n} transitions: ${pathOf(history)}`);
    figures.push({
      section: SECTION,
      name: `state transitions per SPEI transfer, ${name}`,
      value: n,
      unit: "transitions",
      ...(i === 0
        ? {}
        : { baseline: { name: "settled", value: settled }, ratio: n / settled }),
      note: `${pathOf(history)}: $${(standardExecutionCost(n) * 1e6).toFixed(0)} per million SPEI transfers on Standard ($${PRICES.stepFunctions.standardTransition * 1e3} per 1,000 transitions).`,
    });
  }
  return figures;
}
