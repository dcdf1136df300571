/**
 * The money path (issue 11), on the local stack's DynamoDB Local:
 *
 * - DynamoDB requests per transfer, counted at the client (`dynamodb-counter.ts`): Centli's
 *   transfer with its owner cache warm, against the same transfers without it;
 * - throughput and p50/p99 latency, from 1, 8 and 32 concurrent clients over 100 accounts, and
 *   all to one hot account or to four, of
 *   - the bare TransactWriteItems of Centli's items (what this machine can do; the baseline),
 *   - Centli's direct path: the transfer handler's function (`transferFunds`) with its real
 *     DynamoDB adapter, in this process,
 *   - the event path from outside: PutEvents on the local bus, the stack's transfer function,
 *     the TRANSFER_COMPLETED event read back from the bus,
 *   - the seed's design (`seed-design.ts`), faithful, with Centli's features (outcome record,
 *     daily counter) and in its sensible form (conditioned debit, unversioned credit),
 *   all from the same clients, with the same pairs of accounts in each round, rounds rotating
 *   which goes first (a Williams square), after DynamoDB Local's JVM is warmed;
 * - every figure's interval is a bootstrap over the rounds (bench/stats.ts), and a goal is
 *   decided only when the whole interval is on one side of it;
 * - where both sides run the same transaction (direct against bare), the figure is not a
 *   throughput ratio but Centli's added client CPU per transfer (process.cpuUsage);
 * - the event path is reported as each hop's latency (the request in, routing, the function, the
 *   answer out), what the function adds around the transaction, and the local stack's CPU per
 *   event, not as a throughput goal: on the
 *   local stack it measures the bus's one Node process on two cores, not Centli in AWS;
 * - the money the seed's design loses or creates when its client process is killed mid-run,
 *   against Centli's, by killing processes running each (`transfer-worker.ts`);
 * - the kit's handler overhead in process (`handler-overhead.ts`).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DynamoDBClient,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { OutgoingEvent } from "@centli/pure/events";
import { withBackoff } from "@centli/pure/backoff";
import { cancelledByContention } from "@centli/pure/cancellation";
import { TransientError } from "@centli/pure/errors";
import type { TransferRequest } from "@centli/schemas";
import { outcomeKey } from "@centli/pure/outcome";
import {
  LedgerStore,
  type LedgerTables,
} from "../services/core-banking/src/adapters/ledger-store";
import { OwnerCache } from "../services/core-banking/src/adapters/owner-cache";
import { planTransfer } from "../services/core-banking/src/domain/transfer";
import { transferFunds } from "../services/core-banking/src/app/transfer";
import {
  BUS,
  balancesOf,
  endpoints,
  eventBus,
  getJson,
  ledgerOf,
  table,
  type BusEvent,
} from "../tests/integration/support";
import { countRequests, type RequestCounter } from "./dynamodb-counter";
import { handlerOverhead, type Overhead } from "./handler-overhead";
import {
  fromClients,
  pairedRatio,
  percentile,
  useStack,
  type BenchOptions,
  type Benchmark,
  type Figure,
} from "./harness";
import {
  seedTransfer,
  VersionConflict,
  type AccountKey,
  type SeedVariant,
} from "./seed-design";
import { pushed } from "./stack-probe";
import {
  bootstrap,
  medianDifference,
  pooledPercentileRatio,
  williams,
  type Pair,
} from "./stats";
import { LIMITS, type WorkerConfig } from "./transfer-worker";
import { mulberry32 } from "../local/random";

const SECTION = "Money path";
const AMOUNT = 100;
const OPENING = 1_000_000_000;
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

type Design =
  | "bare"
  | "direct"
  | "event"
  | "seed"
  | "seedEqual"
  | "seedSensible";
const DESIGNS: readonly Design[] = [
  "bare",
  "direct",
  "event",
  "seed",
  "seedEqual",
  "seedSensible",
];
const DESIGN_NAMES: Record<Design, string> = {
  bare: "bare TransactWriteItems",
  direct: "Centli direct",
  event: "Centli event path",
  seed: "seed design",
  seedEqual: "seed design + outcome and daily counter",
  seedSensible: "seed design, sensible (conditioned debit, ADD credit)",
};
const SEEDS: ReadonlyArray<{ design: Design; variant: SeedVariant }> = [
  { design: "seed", variant: "faithful" },
  { design: "seedEqual", variant: "equal-features" },
  { design: "seedSensible", variant: "sensible" },
];

/**
 * The order of the designs in each round: a Williams square, in which every design runs first
 * once and right after each other design once every six rounds. Work a round leaves behind
 * (DynamoDB Local's garbage to collect, say) lands on whatever runs next; a fixed rotation
 * would always hand one design's leftovers to the same other design.
 */
const ORDERS = williams(DESIGNS.length);

type Workload = "spread" | "hot1" | "hot4";
interface Scenario {
  workload: Workload;
  clients: number;
}
const WORKLOADS: Record<
  Workload,
  { label: (accounts: number) => string; contended: boolean }
> = {
  spread: { label: (n) => `${n} accounts`, contended: false },
  hot1: { label: (n) => `${n} accounts, all to 1 hot one`, contended: true },
  hot4: { label: (n) => `${n} accounts, to 4 hot ones`, contended: true },
};
const SCENARIOS: readonly Scenario[] = [
  { workload: "spread", clients: 1 },
  { workload: "spread", clients: 8 },
  { workload: "spread", clients: 32 },
  { workload: "hot1", clients: 8 },
  { workload: "hot1", clients: 32 },
  { workload: "hot4", clients: 8 },
  { workload: "hot4", clients: 32 },
];

interface Sizes {
  scenarios: readonly Scenario[];
  accounts: number;
  rounds: number;
  jobs: (clients: number) => number;
  /** Transfers per design before anything is measured, to warm DynamoDB Local's JVM (a quarter of it for the event path, which only warms the stack). */
  warmUpJobs: number;
  kills: number;
}
const FULL: Sizes = {
  scenarios: SCENARIOS,
  accounts: 100,
  rounds: 12,
  jobs: (clients) => (clients === 1 ? 60 : 120),
  warmUpJobs: 400,
  kills: 6,
};
/** CI's: every design, path and measurement once, on two scenarios, at sizes that prove it runs. */
const QUICK: Sizes = {
  scenarios: SCENARIOS.filter((s) => s.clients === 8 && s.workload !== "hot4"),
  accounts: 10,
  rounds: 2,
  jobs: () => 12,
  warmUpJobs: 24,
  kills: 1,
};

/** `count` (from, to) index pairs of the workload over `accounts` accounts. */
function pairs(
  workload: Workload,
  accounts: number,
  count: number,
  seed: number,
): Array<[number, number]> {
  const random = mulberry32(seed);
  const below = (n: number) => Math.floor(random() * n);
  const hot = workload === "hot1" ? 1 : workload === "hot4" ? 4 : 0;
  return Array.from({ length: count }, () => {
    if (hot > 0) return [hot + below(accounts - hot), below(hot)];
    const from = below(accounts);
    const to = (from + 1 + below(accounts - 1)) % accounts;
    return [from, to];
  });
}

/** A request's way on the event path, in ms: each hop from one timestamp to the next. */
interface Hops {
  /** PutEvents called by the client → the bus accepted the request. */
  in: number;
  /** Accepted → handed to the transfer function. */
  routing: number;
  /** Handed to the function → the bus accepted its answer. */
  function: number;
  /** The answer accepted → pushed to the client (its wait answered). */
  out: number;
}

interface Job {
  requestId: string;
  from: AccountKey;
  to: AccountKey;
}

interface Round {
  transfersPerSecond: number;
  latencies: number[];
  /** DynamoDB requests this process sent (the event path's are the stack's, not counted). */
  requests: number;
  /** Attempts that had to be repeated (conflicts the design gave up on, transient errors). */
  retries: number;
  /** CPU ms the round took in this process, the stack's and DynamoDB Local's. */
  cpu: [number, number, number];
  /** The event path: the transfer function's time for each transfer (the bus's deliveries record), in job order. */
  handlerMs: number[];
  /** The event path: each transfer's hops (the client's and the bus's clocks, one machine), in job order. */
  hops: Hops[];
  /** The event path: each transfer's latency, in job order (`latencies` is in completion order). */
  byJob: number[];
}

/**
 * CPU time (ms) used so far by the three processes a transfer runs in: this benchmark, the local
 * stack's Node process (the bus and the handlers) and DynamoDB Local's JVM, from /proc (Linux;
 * elsewhere only this process is known). Ten-millisecond ticks: read over whole rounds.
 */
class CpuMeter {
  private readonly stack: number | undefined;
  private readonly jvm: number | undefined;

  constructor() {
    const stackPid = Number(process.env.CENTLI_TEST_STACK_PID);
    this.stack =
      Number.isSafeInteger(stackPid) &&
      stackPid > 0 &&
      CpuMeter.ticks(stackPid) !== undefined
        ? stackPid
        : undefined;
    this.jvm =
      this.stack === undefined
        ? undefined
        : CpuMeter.descendant(this.stack, "java");
  }

  /** [this process, the stack, the JVM] in ms (NaN where unknown). */
  read(): [number, number, number] {
    const own = process.cpuUsage();
    const of = (pid: number | undefined) =>
      pid === undefined
        ? Number.NaN
        : ((CpuMeter.ticks(pid) ?? Number.NaN) * 1000) / 100;
    return [(own.user + own.system) / 1000, of(this.stack), of(this.jvm)];
  }

  /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
  private static ticks(pid: number): number | undefined {
    try {
      const fields =
        readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ??
        [];
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }

  /** A process below `root` whose command is `name` (DynamoDB Local's java, started by the stack). */
  private static descendant(root: number, name: string): number | undefined {
    const parents = new Map<number, { ppid: number; comm: string }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(
          stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1],
        );
        parents.set(Number(entry), { ppid, comm });
      } catch {
        // It exited meanwhile.
      }
    }
    const under = (pid: number): boolean => {
      for (
        let at = parents.get(pid)?.ppid;
        at !== undefined && at > 1;
        at = parents.get(at)?.ppid
      )
        if (at === root) return true;
      return false;
    };
    return [...parents].find(
      ([pid, { comm }]) => comm === name && under(pid),
    )?.[0];
  }
}

/** The median, the mean of the middle two for an even count (rounds come in even numbers too). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What every design needs to reach the stack. */
class Money {
  readonly tables: LedgerTables = {
    accounts: table("accounts"),
    transactions: table("transactions"),
    controls: table("ledger-controls"),
  };
  readonly client: DynamoDBClient;
  readonly requests: RequestCounter;
  readonly db: DynamoDBDocumentClient;
  /** The direct path's store: the container's owner cache, as in a warm Lambda. */
  readonly store: LedgerStore;
  /** A store whose writes are only recorded: it gives the bare baseline Centli's exact items. */
  private readonly recorder: LedgerStore;
  private recorded: TransactWriteCommandInput | undefined;
  private readonly meter = new CpuMeter();

  constructor(readonly run: string) {
    this.client = new DynamoDBClient({
      endpoint: endpoints().dynamodb,
      region: "us-east-1",
      credentials: CREDENTIALS,
      maxAttempts: 5,
    });
    this.requests = countRequests(this.client);
    this.db = DynamoDBDocumentClient.from(this.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.store = new LedgerStore(this.tables, this.db);
    const recording = {
      send: async (command: { input: TransactWriteCommandInput }) => {
        this.recorded = command.input;
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    this.recorder = new LedgerStore(this.tables, recording, new OwnerCache(0));
  }

  close(): void {
    this.client.destroy();
  }

  /** Opens accounts with a large balance (and a version, which only the seed's design reads). */
  async open(accounts: readonly AccountKey[]): Promise<void> {
    for (let i = 0; i < accounts.length; i += 50) {
      await Promise.all(
        accounts.slice(i, i + 50).map((account) =>
          this.db.send(
            new PutCommand({
              TableName: this.tables.accounts,
              Item: {
                ...account,
                balance: OPENING,
                currency: "MXN",
                status: "active",
                type: "checking",
                name: "Cuenta de benchmark",
                created_at: new Date().toISOString(),
                version: 0,
              },
            }),
          ),
        ),
      );
    }
  }

  accountsFor(label: string, count: number): AccountKey[] {
    return Array.from({ length: count }, (_, i) => ({
      user_id: `user-${this.run}-${label}-${i}`,
      account_id: `acc-${this.run}-${label}-${i}`,
    }));
  }

  request(job: Job): TransferRequest {
    return {
      request_id: job.requestId,
      correlation_id: `corr-${job.requestId}`,
      user_id: job.from.user_id,
      from_account_id: job.from.account_id,
      to_account_id: job.to.account_id,
      amount: AMOUNT,
      currency: "MXN",
    };
  }

  /** Centli's TransactWriteItems for a job, exactly as its adapter builds them. */
  async itemsOf(job: Job): Promise<TransactWriteCommandInput> {
    const request = this.request(job);
    await this.recorder.commitTransfer(
      planTransfer(request, job.to.user_id, LIMITS, new Date()),
      outcomeKey("transfer", request.user_id, request.request_id),
    );
    if (!this.recorded) throw new Error("the adapter sent no transaction");
    return this.recorded;
  }

  /** One transfer of `design`; resolves with the attempts it had to repeat. */
  async transfer(
    design: Design,
    job: Job,
    items?: TransactWriteCommandInput,
  ): Promise<number> {
    let retries = 0;
    for (;;) {
      try {
        switch (design) {
          case "bare":
            await this.bare(items as TransactWriteCommandInput);
            return retries;
          case "direct": {
            const answer = (await transferFunds(this.request(job), {
              store: this.store,
              limits: LIMITS,
              now: () => new Date(),
            })) as OutgoingEvent;
            if (answer.detailType !== "TRANSFER_COMPLETED")
              throw new Error(`refused: ${JSON.stringify(answer.detail)}`);
            return retries;
          }
          case "event":
            await this.overTheBus(job);
            return retries;
          case "seed":
          case "seedEqual":
          case "seedSensible": {
            const variant = SEEDS.find((s) => s.design === design)?.variant;
            const result = await seedTransfer(
              this.db,
              this.tables,
              {
                request_id: job.requestId,
                from: job.from,
                to: job.to,
                amount: AMOUNT,
                currency: "MXN",
              },
              {
                ...(variant ? { variant } : {}),
                controls: this.tables.controls,
              },
            );
            if (result.status !== "completed")
              throw new Error(`refused: ${result.reason}`);
            return retries + result.attempts - 1 + result.creditAttempts - 1;
          }
        }
      } catch (error) {
        // What the platform would do: deliver the (idempotent) request again.
        if (!(
          error instanceof TransientError || error instanceof VersionConflict
        ))
          throw error;
        retries++;
      }
    }
  }

  /** The baseline: the items, sent; a conflict is retried as Centli's adapter would. */
  private async bare(items: TransactWriteCommandInput): Promise<void> {
    await withBackoff(
      async () => {
        try {
          await this.db.send(new TransactWriteCommand(items));
        } catch (error) {
          if (
            error instanceof TransactionCanceledException &&
            cancelledByContention(error.CancellationReasons ?? [])
          )
            throw new TransientError("conflict");
          throw error;
        }
      },
      {
        attempts: 10,
        baseMs: 20,
        capMs: 1000,
        retryable: (error) => error instanceof TransientError,
      },
    );
  }

  /**
   * The event path, from outside: put the request on the bus as the gateway would, and wait for
   * its answer, pushed by the bus the moment it is accepted (bench/stack-probe.ts); timed by the
   * client's clock, as the other designs are.
   */
  private async overTheBus(job: Job): Promise<void> {
    const detail = this.request(job);
    const put = await eventBus().send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: BUS,
            Source: "centli.agent-gateway",
            DetailType: "TRANSFER_REQUEST",
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    if (put.FailedEntryCount) throw new Error("the bus refused the request");
    const events = await pushed(detail.correlation_id, {
      detailTypes: ["TRANSFER_COMPLETED", "TRANSFER_FAILED"],
    });
    const answer = events.find(
      (event) =>
        event["detail-type"] === "TRANSFER_COMPLETED" ||
        event["detail-type"] === "TRANSFER_FAILED",
    );
    if (answer?.["detail-type"] !== "TRANSFER_COMPLETED")
      throw new Error(`refused: ${JSON.stringify(answer?.detail)}`);
  }

  /**
   * The transfer function's time for each event-path job, as the bus recorded its delivery, and
   * the job's hops: the client's timestamps (`clientTimes`, PutEvents called and the answer
   * pushed) and the bus's (the request accepted, handed to the function, the answer accepted),
   * all epoch milliseconds from each process's monotonic clock on one machine.
   */
  private async handlerTimes(
    jobs: readonly Job[],
    clientTimes: ReadonlyArray<readonly [number, number]>,
  ): Promise<{ handlerMs: number[]; hops: Hops[] }> {
    const times: number[] = [];
    const hops: Hops[] = [];
    for (const [j, job] of jobs.entries()) {
      const correlationId = this.request(job).correlation_id;
      for (let tries = 0; ; tries++) {
        const events = await getJson<
          Array<BusEvent & { acceptedAt: number; deliveries: Array<{ outcome: string; durationMs: number; startedAt?: number }> }>
        >(
          `/events?correlation_id=${encodeURIComponent(correlationId)}&include=deliveries`,
        );
        const request = events.find((e) => e["detail-type"] === "TRANSFER_REQUEST");
        const delivery = request?.deliveries.find((d) => d.outcome === "succeeded");
        const answer = events.find((e) => e["detail-type"] === "TRANSFER_COMPLETED");
        if (request && delivery?.startedAt !== undefined && answer) {
          const [called, pushed] = clientTimes[j] as readonly [number, number];
          times.push(delivery.durationMs);
          hops.push({
            in: request.acceptedAt - called,
            routing: delivery.startedAt - request.acceptedAt,
            function: answer.acceptedAt - delivery.startedAt,
            out: pushed - answer.acceptedAt,
          });
          break;
        }
        if (tries > 200)
          throw new Error(`${correlationId}: its delivery never settled`);
        await sleep(5);
      }
    }
    return { handlerMs: times, hops };
  }

  /** Runs `jobs` of a design from `clients` clients. */
  async round(
    design: Design,
    jobs: readonly Job[],
    clients: number,
  ): Promise<Round> {
    // One at a time: the recorder keeps the last transaction it was given.
    const items: TransactWriteCommandInput[] = [];
    if (design === "bare")
      for (const job of jobs) items.push(await this.itemsOf(job));
    this.requests.reset();
    const before = this.meter.read();
    let retries = 0;
    const byJob: number[] = new Array<number>(jobs.length).fill(Number.NaN);
    const clientTimes: Array<[number, number]> = new Array<[number, number]>(jobs.length).fill([Number.NaN, Number.NaN]);
    const { latencies, wallMs } = await fromClients(
      clients,
      jobs.length,
      async (j) => {
        const t0 = performance.now();
        retries += await this.transfer(design, jobs[j] as Job, items[j]);
        const t1 = performance.now();
        byJob[j] = t1 - t0;
        clientTimes[j] = [performance.timeOrigin + t0, performance.timeOrigin + t1];
      },
    );
    const cpu = this.meter.read().map((ms, i) => ms - (before[i] as number)) as [
      number,
      number,
      number,
    ];
    const requests = this.requests.total();
    return {
      transfersPerSecond: (jobs.length / wallMs) * 1000,
      latencies,
      requests,
      // Centli's adapter and the bare baseline retry a cancelled transaction inside the call:
      // with the owner cache warm a transfer is one request, so the rest are its retries.
      retries:
        design === "direct" || design === "bare"
          ? retries + Math.max(0, requests - jobs.length)
          : retries,
      cpu,
      // Read after the CPU meter: these reads of the bus are not the transfers' cost.
      ...(design === "event" ? await this.handlerTimes(jobs, clientTimes) : { handlerMs: [], hops: [] }),
      byJob,
    };
  }
}

/** CPU ms per transfer over rounds: [this process, the stack, DynamoDB Local], and their sum. */
function cpuPerTransfer(
  rounds: readonly Round[],
  jobs: number,
): { parts: [number, number, number]; total: number; text: string } {
  const parts = [0, 1, 2].map(
    (i) =>
      rounds.reduce((sum, r) => sum + (r.cpu[i] as number), 0) /
      (rounds.length * jobs),
  ) as [number, number, number];
  const total = parts.reduce((sum, ms) => sum + (Number.isNaN(ms) ? 0 : ms), 0);
  const [here, stack, jvm] = parts.map((ms) =>
    Number.isNaN(ms) ? "?" : ms.toFixed(2),
  );
  return {
    parts,
    total,
    text: `CPU ${total.toFixed(2)} ms/transfer (benchmark ${here}, stack ${stack}, DynamoDB Local ${jvm})`,
  };
}

/** Jobs for one design's accounts from index pairs. */
function jobsOf(
  prefix: string,
  accounts: readonly AccountKey[],
  indexPairs: ReadonlyArray<[number, number]>,
): Job[] {
  return indexPairs.map(([from, to], i) => ({
    requestId: `${prefix}-${i}`,
    from: accounts[from] as AccountKey,
    to: accounts[to] as AccountKey,
  }));
}

/** The accounts a workload sends money to: every one, or its hot ones. */
function destinations(workload: Workload, accounts: number): number[] {
  const hot = workload === "hot1" ? 1 : workload === "hot4" ? 4 : accounts;
  return Array.from({ length: hot }, (_, i) => i);
}

/**
 * Makes Centli's functions warm for these accounts, as a warm Lambda is: its owner cache knows
 * every destination. The direct path's is this process's (asked directly); the event path's is
 * the stack's, which only a transfer to each destination fills.
 */
async function warmCaches(
  money: Money,
  label: string,
  workload: Workload,
  accounts: Record<Design, AccountKey[]>,
): Promise<void> {
  const targets = destinations(workload, accounts.direct.length);
  for (const i of targets)
    await money.store.findAccountOwner(
      (accounts.direct[i] as AccountKey).account_id,
    );
  const own = accounts.event;
  await money.round(
    "event",
    jobsOf(
      `${label}-event-warm`,
      own,
      targets.map((i) => [(i + 1) % own.length, i] as [number, number]),
    ),
    8,
  );
}

async function conserved(
  accounts: readonly AccountKey[],
  what: string,
): Promise<void> {
  const balances = await balancesOf(
    accounts.map((a) => ({ ...a, balance: 0 })),
  );
  const total = [...balances.values()].reduce((sum, b) => sum + b, 0);
  if (total !== OPENING * accounts.length)
    throw new Error(
      `${what}: the accounts hold ${total}, not the ${OPENING * accounts.length} they opened with`,
    );
}

interface Measured {
  scenario: Scenario;
  rounds: Record<Design, Round[]>;
}

async function measure(
  money: Money,
  scenario: Scenario,
  index: number,
  sizes: Sizes,
  log: (line: string) => void,
): Promise<Measured> {
  const label = `${scenario.workload}-${scenario.clients}`;
  const accounts = Object.fromEntries(
    DESIGNS.map((design) => [
      design,
      money.accountsFor(`${label}-${design}`, sizes.accounts),
    ]),
  ) as Record<Design, AccountKey[]>;
  await money.open(Object.values(accounts).flat());
  await warmCaches(money, label, scenario.workload, accounts);
  const rounds = Object.fromEntries(
    DESIGNS.map((design) => [design, [] as Round[]]),
  ) as Record<Design, Round[]>;
  const jobs = sizes.jobs(scenario.clients);
  for (let round = 0; round < sizes.rounds; round++) {
    const indexPairs = pairs(
      scenario.workload,
      sizes.accounts,
      jobs,
      1_000 * index + round,
    );
    for (const at of ORDERS[round % ORDERS.length] as number[]) {
      const design = DESIGNS[at] as Design;
      rounds[design].push(
        await money.round(
          design,
          jobsOf(`${label}-${design}-r${round}`, accounts[design], indexPairs),
          scenario.clients,
        ),
      );
    }
  }
  for (const design of DESIGNS)
    await conserved(accounts[design], `${DESIGN_NAMES[design]}, ${label}`);
  const summary = DESIGNS.map((design) => {
    const r = rounds[design];
    const all = r.flatMap((x) => x.latencies);
    const per = (key: "requests") =>
      (r.reduce((sum, x) => sum + x[key], 0) / (r.length * jobs)).toFixed(2);
    const retried = r.reduce((sum, x) => sum + x.retries, 0);
    const cost =
      design === "event"
        ? `function p50 ${median(r.flatMap((x) => x.handlerMs)).toFixed(1)} ms`
        : `${per("requests")} DynamoDB requests/transfer`;
    return `${DESIGN_NAMES[design]} ${Math.round(median(r.map((x) => x.transfersPerSecond)))}/s p50 ${median(all).toFixed(1)} p99 ${percentile(all, 99).toFixed(1)} ms, ${cost}, ${cpuPerTransfer(r, jobs).text}${retried > 0 ? `, ${retried} retried` : ""}`;
  });
  log(
    `${WORKLOADS[scenario.workload].label(sizes.accounts)}, ${scenario.clients} client(s): ${summary.join("; ")}`,
  );
  return { scenario, rounds };
}

const us = (ms: number) => ms * 1000;
const round1 = (n: number) => n.toFixed(1);

function figuresOf(
  { scenario, rounds }: Measured,
  jobs: number,
  accounts: number,
): Figure[] {
  const { label, contended } = WORKLOADS[scenario.workload];
  const where = `${label(accounts)}, ${scenario.clients} client${scenario.clients === 1 ? "" : "s"}`;
  const n = rounds.bare.length;
  const pairs = (
    candidate: Design,
    baseline: Design,
    of: (r: Round) => number,
  ): Pair[] =>
    rounds[candidate].map((r, i) => ({
      candidate: of(r),
      baseline: of(rounds[baseline][i] as Round),
    }));
  const cpu = (design: Design) => cpuPerTransfer(rounds[design], jobs);
  const per = (design: Design, key: "requests" | "retries") =>
    rounds[design].reduce((sum, r) => sum + r[key], 0) /
    (rounds[design].length * jobs);
  const retriesText = (design: Design) => {
    const total = rounds[design].reduce((sum, r) => sum + r.retries, 0);
    return `${total} retr${total === 1 ? "y" : "ies"} in ${rounds[design].length * jobs} transfers`;
  };
  const latencyFigure = (
    candidate: Design,
    baseline: Design,
    p: number,
  ): Figure => {
    const e = pooledPercentileRatio(
      rounds[candidate].map((r, i) => ({
        candidate: r.latencies,
        baseline: (rounds[baseline][i] as Round).latencies,
      })),
      p,
    );
    return {
      section: SECTION,
      name: `transfer latency p${p}, ${where}: ${DESIGN_NAMES[candidate]} vs ${DESIGN_NAMES[baseline]}`,
      value: e.value,
      unit: "ms",
      baseline: { name: DESIGN_NAMES[baseline], value: e.baseline },
      ratio: e.ratio,
      ratioInterval: e.interval,
      rounds: e.rounds,
    };
  };

  // Direct against bare: the same transaction, so the client CPU Centli adds is the figure.
  const clientCpu = (r: Round) => us(r.cpu[0] / jobs);
  const added = medianDifference(pairs("direct", "bare", clientCpu));
  const bareClient = bootstrap(rounds.bare.map(clientCpu), (xs) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number,
  );
  const figures: Figure[] = [
    {
      section: SECTION,
      name: `Centli's added client CPU per transfer, ${where}: Centli direct − bare TransactWriteItems (median of the rounds' differences)`,
      value: added.value,
      unit: "µs",
      interval: added.interval,
      rounds: added.rounds,
      baseline: {
        name: "the bare transaction's own client CPU per transfer (median of rounds)",
        value: clientCpu(
          [...rounds.bare].sort((a, b) => clientCpu(a) - clientCpu(b))[
            Math.floor(n / 2)
          ] as Round,
        ),
      },
      note: `Both send the same TransactWriteItems (${per("direct", "requests").toFixed(2)} and ${per("bare", "requests").toFixed(2)} DynamoDB requests per transfer; Centli ${retriesText("direct")}, the bare baseline ${retriesText("bare")}); what Centli adds in the client is planning the transfer (validation, limits, the day's counter) and building the items: process.cpuUsage over whole rounds, so the figure does not depend on how busy the machine is, as a throughput ratio would (the bare side's own CPU per transfer ranged ${round1(bareClient.low)}–${round1(bareClient.high)} µs by the same bootstrap).`,
    },
    latencyFigure("direct", "bare", 50),
    latencyFigure("direct", "bare", 99),
  ];

  // The event path: what each hop adds, and the stack's CPU per event.
  /** A percentile of some per-transfer figure of the event path's rounds, with its bootstrap over rounds. */
  const hop = (
    perRound: (r: Round) => number[],
    p: number,
    what: string,
    less?: (r: Round) => number[],
  ): Figure => {
    const at = (idx: readonly number[]) =>
      percentile(idx.flatMap((i) => perRound(rounds.event[i] as Round)), p) -
      (less ? percentile(idx.flatMap((i) => less(rounds.direct[i] as Round)), p) : 0);
    const all = rounds.event.map((_, i) => i);
    return {
      section: SECTION,
      name: `event path, ${what}, p${p}, ${where}`,
      value: at(all),
      unit: "ms",
      interval: bootstrap(all, at),
      rounds: rounds.event.length,
    };
  };
  const hopOf = (key: keyof Hops) => (r: Round) => r.hops.map((h) => h[key]);
  const stackCpu = bootstrap(
    rounds.event.map((r) => r.cpu[1] / jobs),
    (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number,
  );
  const stackMedian = [...rounds.event.map((r) => r.cpu[1] / jobs)].sort(
    (a, b) => a - b,
  )[Math.floor(n / 2)] as number;
  figures.push(
    ...[50, 99].flatMap((p) => [
      hop(hopOf("in"), p, "hop 1, the request in (PutEvents called → accepted by the bus)"),
      hop(hopOf("routing"), p, "hop 2, routing (accepted → handed to the transfer function)"),
      hop(hopOf("function"), p, "hop 3, the function (handed the event → its answer accepted by the bus)"),
      hop(hopOf("out"), p, "hop 4, the answer out (accepted → pushed to the client)"),
      hop((r) => r.handlerMs, p, "the function around the transaction (the invocation, the kit's middy stack, the answer's PutEvents) over the direct call, added", (r) => r.latencies),
    ]),
    {
      section: SECTION,
      name: `event path, the local stack's CPU per event (the bus and the transfer function, one Node process), ${where}`,
      value: stackMedian,
      unit: "ms",
      ...(Number.isNaN(stackMedian) ? {} : { interval: stackCpu, rounds: n }),
      note: `Read from /proc in 10 ms ticks over whole rounds. On the local stack the bus and every function share one Node process on the same cores as DynamoDB Local (${cpu("event").text}; the bare transaction: ${cpu("bare").text}), so no throughput goal is held to it: in AWS that work is EventBridge's and Lambda's. The hops are measured per transfer from five timestamps: the client's (PutEvents called, the answer pushed to it) and the bus's (the request accepted, handed to the function, the answer accepted), epoch milliseconds from each process's monotonic clock on one machine; the function's added time is its delivery time's percentile less the direct call's.`,
    },
    latencyFigure("event", "bare", 50),
    latencyFigure("event", "bare", 99),
  );

  // Against the seed's design, in its three forms.
  for (const { design } of SEEDS) {
    const estimate = pairedRatio(
      pairs("direct", design, (r) => r.transfersPerSecond),
      design === "seed" ? { op: "≥", target: contended ? 2 : 1 } : undefined,
    );
    const { baselineValue, ...rest } = estimate;
    const centliRetries = per("direct", "retries");
    const seedRetries = per(design, "retries");
    const waits =
      centliRetries === 0
        ? "Centli's transaction was retried 0 times here"
        : `Centli's own transaction was retried ${centliRetries.toFixed(3)} times per transfer (cancelled by a conflicting one; its adapter backs off and sends it again)`;
    figures.push(
      {
        section: SECTION,
        name: `transfer throughput, ${where}: Centli direct vs ${DESIGN_NAMES[design]} (medians of ${n} rounds; ratio = value ÷ baseline)`,
        ...rest,
        unit: "transfers/s",
        baseline: { name: DESIGN_NAMES[design], value: baselineValue },
        note: `${DESIGN_NAMES[design]}: ${per(design, "requests").toFixed(2)} DynamoDB requests per transfer, ${seedRetries.toFixed(3)} repeated steps per transfer after a lost race (${retriesText(design)}), DynamoDB Local CPU ${Number.isNaN(cpu(design).parts[2]) ? "?" : cpu(design).parts[2].toFixed(2)} ms per transfer; Centli direct: ${per("direct", "requests").toFixed(2)} requests per transfer, one transaction of six items, ${waits}, DynamoDB Local CPU ${Number.isNaN(cpu("direct").parts[2]) ? "?" : cpu("direct").parts[2].toFixed(2)} ms per transfer. ${cpu(design).text} against Centli's ${cpu("direct").text}.`,
      },
      latencyFigure("direct", design, 50),
      latencyFigure("direct", design, 99),
    );
  }
  return figures;
}

/**
 * The kit's added CPU per invocation as a share of a warm transfer's end-to-end time: the event
 * path's p50 with the fewest clients over spread accounts (nothing contends), from this run.
 */
function overheadShare(overhead: Overhead, measured: readonly Measured[]): Figure {
  const calm = [...measured]
    .filter((m) => m.scenario.workload === "spread")
    .sort((a, b) => a.scenario.clients - b.scenario.clients)[0];
  const endToEnd = calm
    ? percentile(
        calm.rounds.event.flatMap((r) => r.latencies),
        50,
      )
    : Number.NaN;
  const share = (ms: number) => (ms / endToEnd) * 100;
  return {
    section: SECTION,
    name: `transfer handler: the kit's added CPU as a share of a warm transfer's end-to-end time (event path p50, ${calm?.scenario.clients ?? "?"} client(s), this run)`,
    value: share(overhead.added.value),
    unit: "%",
    interval: {
      name: overhead.added.interval.name,
      low: share(overhead.added.interval.low),
      high: share(overhead.added.interval.high),
    },
    rounds: overhead.added.rounds,
    note: `${(overhead.added.value * 1000).toFixed(0)} µs of ${endToEnd.toFixed(1)} ms; the interval is the added CPU's, the end-to-end time taken as measured. On the local stack the end-to-end time includes the local bus; in AWS, EventBridge and Lambda's own latency make the share smaller still.`,
  };
}

/** DynamoDB requests per warm transfer, counted at the client, with the owner cache and without it. */
async function requestsPerTransfer(
  money: Money,
  sizes: Sizes,
): Promise<Figure> {
  const accounts = money.accountsFor("count", 10);
  await money.open(accounts);
  const count = sizes.rounds * 20;
  const jobsFor = (prefix: string) =>
    jobsOf(prefix, accounts, pairs("spread", accounts.length, count, 7));
  const perTransfer = async (store: LedgerStore, jobs: readonly Job[]) => {
    money.requests.reset();
    for (const job of jobs) {
      const answer = (await transferFunds(money.request(job), {
        store,
        limits: LIMITS,
        now: () => new Date(),
      })) as OutgoingEvent;
      if (answer.detailType !== "TRANSFER_COMPLETED")
        throw new Error(`refused: ${JSON.stringify(answer.detail)}`);
    }
    return {
      total: money.requests.total(),
      byOperation: money.requests.byOperation(),
    };
  };
  const cached = new LedgerStore(money.tables, money.db, new OwnerCache());
  const uncached = new LedgerStore(money.tables, money.db, new OwnerCache(0));
  // A cold container: its first transfer to each destination asks the index.
  const cold = await perTransfer(
    cached,
    jobsOf(
      "count-cold",
      accounts,
      accounts.map((_, i) => [(i + 1) % accounts.length, i]),
    ),
  );
  const warm = await perTransfer(cached, jobsFor("count-warm"));
  const before = await perTransfer(uncached, jobsFor("count-uncached"));
  const value = warm.total / count;
  return {
    section: SECTION,
    name: "DynamoDB requests per transfer, happy path, warm function (counted at the client)",
    value,
    unit: "requests",
    baseline: { name: "without the owner cache", value: before.total / count },
    ratio: value / (before.total / count),
    goal: "= 1",
    met: value === 1,
    note: `warm: ${JSON.stringify(warm.byOperation)} for ${count} transfers; a cold container's first transfer to an account also asks the account_id index (${cold.total} requests for the first ${accounts.length})`,
  };
}

interface Killed {
  created: number;
  unrecorded: number;
  completed: number;
  /** Requests the killed process had sent without seeing them done, delivered again. */
  redelivered: number;
  /** After the redelivery: money created or lost (centavos), and balance changes the ledger does not show. */
  createdAfter: number;
  unrecordedAfter: number;
  /** Requests (done, or delivered again) whose ledger rows are not exactly one debit and one credit. */
  notOnce: number;
}

/** Money created (+) or lost (−) and balance changes off the ledger, over some accounts. */
async function audit(
  accounts: readonly AccountKey[],
): Promise<{ created: number; unrecorded: number; rows: Awaited<ReturnType<typeof ledgerOf>> }> {
  const balances = await balancesOf(
    accounts.map((a) => ({ ...a, balance: 0 })),
  );
  const rows = await ledgerOf(accounts.map((a) => a.account_id));
  let created = 0;
  let unrecorded = 0;
  for (const account of accounts) {
    const moved = (balances.get(account.account_id) ?? 0) - OPENING;
    const ledger = rows
      .filter((row) => row.account_id === account.account_id)
      .reduce(
        (sum, row) =>
          sum + (row.direction === "credit" ? row.amount : -row.amount),
        0,
      );
    created += moved;
    unrecorded += Math.abs(moved - ledger);
  }
  return { created, unrecorded, rows };
}

/**
 * Kills a process of transfer clients mid-run, counts what it left behind, then does what the
 * platform does with a request whose client died (a retry, a redelivery): sends every request
 * it had sent without seeing it done again, with the same request id, and counts again:
 * each request must have moved its money exactly once.
 */
async function killMidRun(
  money: Money,
  design: WorkerConfig["design"],
  kill: number,
  delayMs: number,
): Promise<Killed> {
  const accounts = money.accountsFor(`kill-${design}-${kill}`, 20);
  await money.open(accounts);
  const config: WorkerConfig = {
    design,
    endpoint: endpoints().dynamodb,
    tables: money.tables,
    accounts,
    clients: 8,
    amount: AMOUNT,
    prefix: `${money.run}-kill-${design}-${kill}`,
  };
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(__dirname, "transfer-worker.ts"),
      JSON.stringify(config),
    ],
    { cwd: join(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] },
  );
  const started = new Map<string, [number, number]>();
  const done = new Set<string>();
  let errors = "";
  let buffer = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const [what, id, from, to] = line.split(" ");
        if (what === "start" && id)
          started.set(id, [Number(from), Number(to)]);
        if (what === "done" && id) {
          if (done.size === 0)
            setTimeout(() => {
              child.kill("SIGKILL");
              resolve();
            }, delayMs);
          done.add(id);
        }
      }
    });
    void exited.then(() =>
      reject(
        new Error(
          `the ${design} worker exited before it was killed: ${errors}`,
        ),
      ),
    );
  });
  await exited;
  // Requests already on the wire still land; let DynamoDB Local finish them.
  await sleep(500);
  const before = await audit(accounts);

  // Redeliver what was in flight, once each, as the platform would.
  const inFlight = [...started].filter(([id]) => !done.has(id));
  for (const [id, [from, to]] of inFlight) {
    const job: Job = {
      requestId: id,
      from: accounts[from] as AccountKey,
      to: accounts[to] as AccountKey,
    };
    if (design === "centli") {
      const answer = (await transferFunds(
        { ...money.request(job), correlation_id: id },
        { store: money.store, limits: LIMITS, now: () => new Date() },
      )) as OutgoingEvent;
      if (answer.detailType !== "TRANSFER_COMPLETED")
        throw new Error(`redelivered ${id} refused: ${JSON.stringify(answer.detail)}`);
    } else {
      await seedTransfer(money.db, money.tables, {
        request_id: id,
        from: job.from,
        to: job.to,
        amount: AMOUNT,
        currency: "MXN",
      }).catch((error: unknown) => {
        // The source stayed busy through every attempt: nothing written this time.
        if (!(error instanceof VersionConflict)) throw error;
      });
    }
  }
  const after = await audit(accounts);
  const rowsOf = new Map<string, string[]>();
  for (const row of after.rows) {
    const id = (row as { request_id?: string }).request_id ?? "";
    rowsOf.set(id, [...(rowsOf.get(id) ?? []), row.direction]);
  }
  const notOnce = [...done, ...inFlight.map(([id]) => id)].filter((id) => {
    const directions = (rowsOf.get(id) ?? []).sort();
    return !(directions.length === 2 && directions[0] === "credit" && directions[1] === "debit");
  }).length;
  return {
    created: before.created,
    unrecorded: before.unrecorded,
    completed: done.size,
    redelivered: inFlight.length,
    createdAfter: after.created,
    unrecordedAfter: after.unrecorded,
    notOnce,
  };
}

async function interrupted(
  money: Money,
  sizes: Sizes,
  log: (line: string) => void,
): Promise<Figure[]> {
  const random = mulberry32(20261126);
  const outcomes: Record<WorkerConfig["design"], Killed[]> = {
    centli: [],
    seed: [],
  };
  for (let kill = 0; kill < sizes.kills; kill++) {
    for (const design of kill % 2 === 0
      ? (["seed", "centli"] as const)
      : (["centli", "seed"] as const)) {
      outcomes[design].push(
        await killMidRun(money, design, kill, 100 + Math.floor(random() * 400)),
      );
    }
  }
  const total = (
    design: WorkerConfig["design"],
    key: Exclude<keyof Killed, never>,
    abs = false,
  ) =>
    outcomes[design].reduce(
      (sum, o) => sum + (abs ? Math.abs(o[key]) : o[key]),
      0,
    );
  const describe = (design: WorkerConfig["design"]) =>
    outcomes[design]
      .map(
        (o) =>
          `${o.created >= 0 ? "+" : ""}${o.created / AMOUNT} transfers' money, ${o.unrecorded / AMOUNT} off the ledger after ${o.completed} done; ${o.redelivered} redelivered → ${o.createdAfter >= 0 ? "+" : ""}${o.createdAfter / AMOUNT}, ${o.unrecordedAfter / AMOUNT} off the ledger, ${o.notOnce} not exactly once`,
      )
      .join("; ");
  log(`killed mid-run, seed design: ${describe("seed")}`);
  log(`killed mid-run, Centli: ${describe("centli")}`);
  const centliMoney = total("centli", "created", true);
  const centliLedger = total("centli", "unrecorded");
  const brokenSeed = outcomes.seed.filter((o) => o.created !== 0).length;
  const seedMoved = total("seed", "created");
  const centliNotOnce = total("centli", "notOnce");
  const centliOffAfter =
    total("centli", "createdAfter", true) + total("centli", "unrecordedAfter");
  const seedAfter = outcomes.seed.filter(
    (o) => o.createdAfter !== 0 || o.unrecordedAfter !== 0 || o.notOnce !== 0,
  ).length;
  return [
    {
      section: SECTION,
      name: `money lost or created when a client process is killed mid-run (${sizes.kills} kills each, 8 clients, 20 accounts, ${AMOUNT} centavos a transfer): Centli vs the seed design`,
      value: centliMoney,
      unit: "centavos",
      baseline: { name: "seed design", value: total("seed", "created", true) },
      goal: "= 0",
      met: centliMoney === 0,
      note: `the seed's design ${seedMoved === 0 ? "neither lost nor created money" : seedMoved < 0 ? "lost money" : "created money"} in ${brokenSeed} of ${sizes.kills} kills${brokenSeed > 0 ? " (a client killed between its debit and its credit)" : ""}; Centli's transfer is one transaction, so a killed client leaves it done or not done`,
    },
    {
      section: SECTION,
      name: "balance changes the ledger does not show after those kills: Centli vs the seed design",
      value: centliLedger,
      unit: "centavos",
      baseline: { name: "seed design", value: total("seed", "unrecorded") },
      goal: "= 0",
      met: centliLedger === 0,
    },
    {
      section: SECTION,
      name: "after those kills, the requests in flight delivered again (same request id): requests not applied exactly once (one debit row, one credit row), Centli vs the seed design",
      value: centliNotOnce,
      unit: "requests",
      baseline: { name: "seed design", value: total("seed", "notOnce") },
      goal: "= 0, and no money created, lost or off the ledger",
      met: centliNotOnce === 0 && centliOffAfter === 0,
      note: `${total("centli", "redelivered")} of Centli's requests were in flight when killed and delivered again; afterwards ${centliNotOnce} of the requests done or redelivered lacked exactly one debit and one credit row and ${centliOffAfter / AMOUNT} transfers' money was created, lost or off the ledger; the seed design's ${total("seed", "redelivered")} redelivered requests left ${seedAfter} of ${sizes.kills} kills wrong (${total("seed", "notOnce")} requests not applied exactly once, ${total("seed", "createdAfter") / AMOUNT} transfers' money created or lost), since it has no record of a request to find on a second delivery.`,
    },
  ];
}

/** Warms DynamoDB Local's JVM (and the stack's handler) before anything is measured. */
async function warmUp(money: Money, sizes: Sizes): Promise<void> {
  const accounts = Object.fromEntries(
    DESIGNS.map((design) => [
      design,
      money.accountsFor(`warm-${design}`, sizes.accounts),
    ]),
  ) as Record<Design, AccountKey[]>;
  await money.open(Object.values(accounts).flat());
  await warmCaches(money, "warm", "spread", accounts);
  for (const design of DESIGNS) {
    const count = design === "event" ? sizes.warmUpJobs / 4 : sizes.warmUpJobs;
    const indexPairs = pairs("spread", sizes.accounts, count, 99);
    await money.round(
      design,
      jobsOf(`warm-${design}-all`, accounts[design], indexPairs),
      8,
    );
  }
}

export const transfer: Benchmark = {
  name: "transfer",
  needsStack: true,
  async run(options: BenchOptions) {
    const sizes = options.quick ? QUICK : FULL;
    const overhead = await handlerOverhead(options);
    const figures: Figure[] = [...overhead.figures];
    await useStack();
    const money = new Money(Math.random().toString(36).slice(2, 8));
    try {
      await warmUp(money, sizes);
      figures.push(await requestsPerTransfer(money, sizes));
      const measured: Measured[] = [];
      for (const [index, scenario] of sizes.scenarios.entries())
        measured.push(
          await measure(money, scenario, index, sizes, options.log),
        );
      figures.push(overheadShare(overhead, measured));
      figures.push(...(await interrupted(money, sizes, options.log)));
      figures.push(
        ...measured.flatMap((m) =>
          figuresOf(m, sizes.jobs(m.scenario.clients), sizes.accounts),
        ),
      );
      return figures;
    } finally {
      money.close();
    }
  },
};
