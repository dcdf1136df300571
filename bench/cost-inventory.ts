/**
 * `npx tsx bench/cost-inventory.ts [--n 20]`: what one transfer, one purchase and one chat turn
 * consume in AWS's billing units, measured on a local stack of its own, and bench/COST.md written
 * from them: every figure in it is quantity × unit price from this run, every sentence with a
 * number is built from the numbers (only the quotas-and-design section, bench/cost-scaling.md,
 * is written by hand, and it is included as it is). `--print` prints instead of writing.
 *
 * The stack runs in this process (local/stack.ts, as `npm start` does), with the handlers' DynamoDB
 * traffic sent through a meter (bench/dynamodb-meter.ts) that has DynamoDB Local report the
 * capacity each request consumed. Flows run one at a time, each `n` times after a warm-up, and
 * each is read off what it left behind:
 * - DynamoDB read and write units by table and index, and requests by operation (the meter);
 * - EventBridge: every entry put under the flow's correlation ids, in 64 KB chunks;
 * - Lambda: every invocation (bus deliveries, saga tasks, the WebSocket message route) with its
 *   duration, rounded up to the millisecond as Lambda bills, at the function's configured memory;
 * - Step Functions transitions (each state run, each retry) and the execution's duration;
 * - CloudWatch Logs: the bytes the handlers wrote, plus Lambda's own START/END/REPORT lines;
 * - API Gateway WebSocket messages, in and out.
 * The seed's design (seeds/000) doing the same work is modelled next to it: its DynamoDB calls
 * are made for real, through the same meter, on items of the same size; its events and
 * invocations are counted from the seed's flow diagrams, at the durations Centli's functions
 * doing the nearest work measured.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { putEventsEntrySize } from "@centli/kit/publisher";
import type { PurchaseRequest } from "@centli/schemas";
import { invokeFunction, type LambdaFunction } from "../local/lambda";
import type { ExecutionHistory } from "../local/saga";
import { startLocalStack, type LocalStack } from "../local/stack";
import { bedrockTools } from "../lib/tools/adapters/bedrock-engine";
import { SYSTEM_PROMPT } from "../lib/tools/intent/intent";
import { purchaseIdFor } from "../services/marketplace/src/domain/purchase";
import { speiTransferId } from "../services/core-banking/src/domain/spei-out";
import { makeClabe } from "../lib/pure/clabe";
import { ChatClient, type ServerMessage } from "../tests/integration/chat/support";
import { freshMinute } from "./stack-probe";
import {
  createAccounts,
  getJson,
  ledgerOf,
  putRequests,
  runId,
  type TestAccount,
} from "../tests/integration/support";
import {
  openShop,
  purchaseRecordOf,
  purchaseRequest,
} from "../tests/integration/marketplace/support";
import { PRICES, PRICES_AS_OF, expressExecutionCost } from "./aws-prices";
import { median } from "./harness";
import {
  difference,
  itemSize,
  startDynamoDbMeter,
  total,
  type DynamoDbMeter,
  type Reading,
} from "./dynamodb-meter";

/** Lambda's own lines per invocation (START, END, REPORT), about this many bytes. */
const PLATFORM_LOG_BYTES = 300;
const GB = 2 ** 30;

/** One Lambda invocation: which function, how long, at what memory. */
interface Invocation {
  fn: string;
  ms: number;
  memoryMb: number;
}

/** What one run of a flow consumed. */
interface Usage {
  dynamo: Reading;
  invocations: Invocation[];
  events: number;
  eventChunks: number;
  eventBytes: number;
  logBytes: number;
  wsIn: number;
  wsOut: number;
  transitions: number;
  executionMs: number[];
}

/** What a flow's run reports beyond what the meter and the bus saw. */
interface Trace {
  correlationIds: string[];
  purchaseIds?: string[];
  invocations?: Invocation[];
  wsIn?: number;
  wsOut?: number;
}

/** A flow's usage per run, averaged over its runs (durations kept, for their median). */
interface Measured {
  name: string;
  runs: number;
  perRun: {
    readUnits: Record<string, number>;
    writeUnits: Record<string, number>;
    requests: Record<string, number>;
    failed: Record<string, number>;
    invocations: number;
    /** GB-s per run at each invocation's own duration (the mean over runs). */
    gbSeconds: number;
    /**
     * GB-s per run at each function's median duration × its invocations per run: the statistic
     * the cost tables use, for Centli and for the seed's design alike.
     */
    gbSecondsMedian: number;
    /** Write units a cancelled transaction would have written, by table (billed though refused). */
    cancelledWriteUnits: Record<string, number>;
    events: number;
    eventChunks: number;
    eventBytes: number;
    logBytes: number;
    wsIn: number;
    wsOut: number;
    transitions: number;
  };
  /** Median duration by function. */
  durations: Record<string, number>;
  executionMs: number[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function average(usages: readonly Usage[]): Measured["perRun"] {
  const n = usages.length;
  const sum = (pick: (u: Usage) => number) => usages.reduce((a, u) => a + pick(u), 0) / n;
  const keyed = (pick: (r: Reading) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const u of usages)
      for (const [k, v] of Object.entries(pick(u.dynamo))) out[k] = (out[k] ?? 0) + v / n;
    return out;
  };
  const perFunction = new Map<string, { ms: number[]; memoryMb: number; count: number }>();
  for (const u of usages)
    for (const i of u.invocations) {
      const entry = perFunction.get(i.fn) ?? { ms: [], memoryMb: i.memoryMb, count: 0 };
      entry.ms.push(i.ms);
      entry.count += 1;
      perFunction.set(i.fn, entry);
    }
  const gbSecondsMedian = [...perFunction.values()].reduce(
    (a, f) => a + (f.count / n) * (Math.ceil(median(f.ms)) / 1000) * (f.memoryMb / 1024),
    0,
  );
  return {
    gbSecondsMedian,
    cancelledWriteUnits: keyed((r) => r.cancelledWriteUnits ?? {}),
    readUnits: keyed((r) => r.readUnits),
    writeUnits: keyed((r) => r.writeUnits),
    requests: keyed((r) => r.requests),
    failed: keyed((r) => r.failed),
    invocations: sum((u) => u.invocations.length),
    gbSeconds: sum((u) =>
      u.invocations.reduce((a, i) => a + (Math.ceil(i.ms) / 1000) * (i.memoryMb / 1024), 0),
    ),
    events: sum((u) => u.events),
    eventChunks: sum((u) => u.eventChunks),
    eventBytes: sum((u) => u.eventBytes),
    logBytes: sum((u) => u.logBytes + PLATFORM_LOG_BYTES * u.invocations.length),
    wsIn: sum((u) => u.wsIn),
    wsOut: sum((u) => u.wsOut),
    transitions: sum((u) => u.transitions),
  };
}

class Inventory {
  private logBytes = 0;
  private capturing = false;
  readonly print: (line: string) => void;
  private readonly memory = new Map<string, number>();
  /** What `print` wrote, for bench/COST.md's tables section. */
  readonly written: string[] = [];

  constructor(
    private readonly stack: LocalStack,
    private readonly meter: DynamoDbMeter,
  ) {
    for (const fn of stack.services.flatMap((s) => s.functions))
      this.memory.set(fn.functionName, fn.memorySize);
    // The handlers' log lines are what CloudWatch Logs would ingest: counted, not shown.
    const out = process.stdout.write.bind(process.stdout);
    const capture =
      (real: typeof process.stdout.write) =>
      (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        if (this.capturing) {
          this.logBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
          return true;
        }
        return (real as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = capture(out) as typeof process.stdout.write;
    process.stderr.write = capture(
      process.stderr.write.bind(process.stderr),
    ) as typeof process.stderr.write;
    this.print = (line) => {
      this.written.push(line);
      out(`${line}\n`);
    };
  }

  /** Runs `work` with the handlers' log lines swallowed and not counted (set-up, not a flow). */
  async quietly<T>(work: () => Promise<T>): Promise<T> {
    this.capturing = true;
    try {
      return await work();
    } finally {
      this.capturing = false;
    }
  }

  memoryOf(functionName: string): number {
    return this.memory.get(functionName.split("#")[0] as string) ?? 512;
  }

  async once(run: () => Promise<Trace>): Promise<Usage> {
    const before = this.meter.read();
    this.logBytes = 0;
    this.capturing = true;
    let trace: Trace;
    try {
      trace = await run();
      await this.stack.bus.idle();
      await sleep(20);
    } finally {
      this.capturing = false;
    }
    const dynamo = difference(this.meter.read(), before);
    const invocations: Invocation[] = [...(trace.invocations ?? [])];
    let events = 0;
    let eventChunks = 0;
    let eventBytes = 0;
    for (const id of trace.correlationIds)
      for (const { event, deliveries } of this.stack.bus.events({ correlationId: id })) {
        const size = putEventsEntrySize({
          Source: event.source,
          DetailType: event["detail-type"],
          Detail: JSON.stringify(event.detail),
        });
        events += 1;
        eventBytes += size;
        eventChunks += Math.ceil(size / (64 * 1024));
        for (const d of deliveries)
          for (let a = 0; a < d.attempts; a++)
            invocations.push({
              fn: d.target,
              ms: d.durationMs / d.attempts,
              memoryMb: this.memoryOf(d.target),
            });
      }
    let transitions = 0;
    const executionMs: number[] = [];
    for (const purchaseId of trace.purchaseIds ?? []) {
      const history = await getJson<ExecutionHistory>(`/executions/${purchaseId}`);
      executionMs.push(history.durationMs ?? Number.NaN);
      for (const state of history.states) {
        transitions += 1 + state.retries.length;
        for (const attempt of state.attempts)
          if (attempt.function)
            invocations.push({
              fn: attempt.function,
              // A .waitForTaskToken task's attempt also holds the wait for its token; Lambda bills the function's own run.
              ms: attempt.invokedMs ?? attempt.durationMs,
              memoryMb: this.memoryOf(attempt.function),
            });
      }
    }
    return {
      dynamo,
      invocations,
      events,
      eventChunks,
      eventBytes,
      logBytes: this.logBytes,
      wsIn: trace.wsIn ?? 0,
      wsOut: trace.wsOut ?? 0,
      transitions,
      executionMs,
    };
  }

  async measure(
    name: string,
    runs: number,
    warmup: number,
    run: (i: number) => Promise<Trace>,
  ): Promise<Measured> {
    for (let i = 0; i < warmup; i++) await this.once(() => run(-1 - i));
    const usages: Usage[] = [];
    for (let i = 0; i < runs; i++) usages.push(await this.once(() => run(i)));
    const byFunction = new Map<string, number[]>();
    for (const u of usages)
      for (const i of u.invocations)
        byFunction.set(i.fn, [...(byFunction.get(i.fn) ?? []), i.ms]);
    const measured: Measured = {
      name,
      runs,
      perRun: average(usages),
      durations: Object.fromEntries(
        [...byFunction].map(([fn, list]) => [shortFunction(fn), median(list)]),
      ),
      executionMs: usages.flatMap((u) => u.executionMs),
    };
    this.print(`\n### ${name} (measured, ${runs} runs)\n`);
    this.print("```json");
    this.print(JSON.stringify({ ...measured.perRun, durations: measured.durations, executionMsMedian: measured.executionMs.length > 0 ? median(measured.executionMs) : undefined }, round, 1));
    this.print("```");
    return measured;
  }
}

function round(_key: string, value: unknown): unknown {
  return typeof value === "number" ? Number(value.toPrecision(4)) : value;
}

const shortFunction = (name: string) =>
  name.replace(/^centli-/, "").replace(/-local-/, "/").replace(/#\d+$/, "");

/** Waits until `probe` answers. */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(10);
  }
}

// ───────────────────────────── the cost tables ─────────────────────────────

interface Line {
  item: string;
  perOperation: number;
  unit: string;
  price: number;
  priceText: string;
  /** How to show the quantity for a million operations, when not as a plain number. */
  show?: (quantity: number) => string;
}

const money = (n: number) =>
  n >= 100 ? `$${n.toFixed(0)}` : n >= 0.01 || n === 0 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`;
const qty = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toPrecision(4).replace(/\.?0+$/, "")} M` : n >= 1e3 ? `${Math.round(n).toLocaleString("en-US")}` : `${Number(n.toPrecision(4))}`;

/** A cost table's result: its total and each line's cost, to say which line decides it. */
interface Costed {
  title: string;
  total: number;
  lines: Array<{ item: string; cost: number }>;
}

function table(title: string, lines: readonly Line[], print: (l: string) => void): Costed {
  print(`\n#### ${title}\n`);
  print("| line | per operation | × 1,000,000 | unit price | cost |");
  print("| --- | --- | --- | --- | --- |");
  let sum = 0;
  const costs: Costed["lines"] = [];
  for (const l of lines) {
    const quantity = l.perOperation * 1e6;
    const cost = quantity * l.price;
    sum += cost;
    costs.push({ item: l.item, cost });
    const unit = l.perOperation === 1 ? l.unit.replace(/^(invocation|minute|model call|event|transition|message|session|trace)s\b/, "$1") : l.unit;
    print(`| ${l.item} | ${Number(l.perOperation.toPrecision(4))} ${unit} | ${l.show ? l.show(quantity) : qty(quantity)} | ${l.priceText} | ${money(cost)} |`);
  }
  print(`| **total** | | | | **${money(sum)}** |`);
  return { title, total: sum, lines: costs };
}

/** The line that decides a total: the largest, with its share. */
export function decidingLine(costed: Costed): string {
  const top = [...costed.lines].sort((a, b) => b.cost - a.cost)[0];
  if (!top || costed.total === 0) return "";
  return `${top.item}: ${money(top.cost)}, ${Math.round((top.cost / costed.total) * 100)} %`;
}

/**
 * A row of the totals table: the operation, Centli's total, the seed's (or a dash) and the line
 * that decides it. A new flow: measure it with `inventory.measure`, cost its lines with `table`
 * and add its row here.
 */
export function totalsRow(operation: string, centli: Costed, seed?: Costed): string {
  return `| ${operation} | **${money(centli.total)}** | ${seed ? money(seed.total) : "—"} | ${decidingLine(centli)} |`;
}

/** The lines every flow has: Lambda, DynamoDB, EventBridge, logs. */
function commonLines(m: Measured["perRun"]): Line[] {
  const p = PRICES;
  const cancelled = total(m.cancelledWriteUnits);
  return [
    { item: "Lambda requests", perOperation: m.invocations, unit: "invocations", price: p.lambda.request, priceText: "$0.20 / M" },
    { item: "Lambda compute (arm64, each function at its median duration)", perOperation: m.gbSecondsMedian, unit: "GB-s", price: p.lambda.gbSecondArm, priceText: "$0.0000133334 / GB-s" },
    { item: "DynamoDB writes", perOperation: total(m.writeUnits), unit: "WRU", price: p.dynamodb.writeUnit, priceText: "$0.625 / M WRU" },
    ...(cancelled > 0
      ? [{ item: "DynamoDB writes of the cancelled transaction (billed though refused; every item it named)", perOperation: cancelled, unit: "WRU", price: p.dynamodb.writeUnit, priceText: "$0.625 / M WRU" }]
      : []),
    { item: "DynamoDB reads", perOperation: total(m.readUnits), unit: "RRU", price: p.dynamodb.readUnit, priceText: "$0.125 / M RRU" },
    { item: "EventBridge custom events", perOperation: m.eventChunks, unit: "events (64 KB chunks)", price: p.eventBridge.customEvent, priceText: "$1.00 / M" },
    logs(m.logBytes),
    xray(m.invocations),
  ];
}

/** The handlers' log lines and Lambda's own, in bytes; priced per GB. */
function logs(bytes: number, note = ""): Line {
  return { item: `CloudWatch Logs ingestion${note}`, perOperation: bytes, unit: "bytes", price: PRICES.cloudWatchLogs.ingestedGb / GB, priceText: "$0.50 / GB", show: (q) => `${(q / GB).toFixed(2)} GB` };
}

/**
 * The traffic the X-Ray line assumes: each function invoked this many times a second. Active
 * tracing's default rule records the first request each second and 5 % of the rest, so the share
 * recorded depends on the rate: (1 + 0.05 × (rate − 1)) / rate.
 */
export const XRAY_RATE_PER_SECOND = 100;
export const xraySampled = (rate = XRAY_RATE_PER_SECOND) => (1 + 0.05 * (rate - 1)) / rate;

/** Active tracing (serverless.common.yml): the default sampling rule at the assumed rate. */
function xray(invocations: number): Line {
  const share = xraySampled();
  return { item: `X-Ray traces (1 a second + 5 % of the rest, at an assumed ${XRAY_RATE_PER_SECOND} invocations a second per function: ${(share * 100).toFixed(2)} % of invocations)`, perOperation: share * invocations, unit: "traces", price: PRICES.xray.traceRecorded, priceText: "$5.00 / M" };
}

// ───────────────────────────── the flows ─────────────────────────────

async function main(): Promise<void> {
  const at = process.argv.indexOf("--n");
  const runs = at >= 0 ? Number(process.argv[at + 1]) : 20;
  const stack = await startLocalStack({ port: 0, stateFile: false, log: () => {} });
  const meter = await startDynamoDbMeter(stack.endpoints.dynamodb);
  // The handlers create their clients on first use, after this: all their calls go through the meter.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = meter.endpoint;
  process.env.CENTLI_TEST_STACK = JSON.stringify({ ...stack.endpoints, tokens: stack.tokens });
  const inventory = new Inventory(stack, meter);
  const print = inventory.print;
  const functions = stack.services.flatMap((s) => s.functions);
  const fn = (suffix: string) =>
    functions.find((f) => f.functionName.endsWith(suffix)) as LambdaFunction;
  const seedDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: meter.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  );
  try {
    const run = runId();
    print(`# Cost inventory, ${new Date().toISOString().slice(0, 10)}, ${runs} runs per flow\n`);
    print(`Prices: us-east-1 on-demand, ${PRICES_AS_OF}.`);
    // Those two lines are the console's; bench/COST.md has its own head.
    inventory.written.length = 0;

    // A transfer: TRANSFER_REQUEST on the bus → TRANSFER_COMPLETED.
    const payer: TestAccount = { user_id: `user-${run}-payer`, account_id: `acc-${run}-payer`, balance: 1_000_000_000 };
    const payee: TestAccount = { user_id: `user-${run}-payee`, account_id: `acc-${run}-payee`, balance: 0 };
    await createAccounts([payer, payee]);
    const transfer = await inventory.measure("transfer", runs, 3, async (i) => {
      const id = `cost-t-${run}-${i}`;
      await putRequests([{ detailType: "TRANSFER_REQUEST", detail: { request_id: id, correlation_id: id, user_id: payer.user_id, from_account_id: payer.account_id, to_account_id: payee.account_id, amount: 100, currency: "MXN", description: "Renta" } }]);
      await until(() => stack.bus.events({ correlationId: id }).some((r) => r.event["detail-type"] === "TRANSFER_COMPLETED") || undefined);
      return { correlationIds: [id] };
    });

    // A purchase: PURCHASE_REQUEST → the saga → PURCHASE_CONFIRMED; and one refused for funds.
    const buyer: TestAccount = { user_id: `user-${run}-buyer`, account_id: `acc-${run}-buyer`, balance: 1_000_000_000 };
    const broke: TestAccount = { user_id: `user-${run}-broke`, account_id: `acc-${run}-broke`, balance: 100 };
    await createAccounts([buyer, broke]);
    const shop = await openShop(`${run}-shop`, { stock: 100_000, price: 1_499_900 });
    const buy = (customer: TestAccount, tag: string) => async (i: number) => {
      const request: PurchaseRequest = purchaseRequest(`${run}-${tag}${i}`, shop, customer, customer === buyer ? { installments: 6 } : {});
      await putRequests([{ detailType: "PURCHASE_REQUEST", detail: request }]);
      const purchaseId = purchaseIdFor(request);
      await until(async () => {
        const h = await getJson<ExecutionHistory>(`/executions/${purchaseId}`).catch(() => undefined);
        return h && h.status !== "RUNNING" ? h : undefined;
      });
      return { correlationIds: [request.correlation_id], purchaseIds: [purchaseId] };
    };
    const purchase = await inventory.measure("purchase (confirmed)", runs, 3, buy(buyer, "p"));
    const refused = await inventory.measure("purchase (insufficient funds: void, release)", Math.max(3, Math.round(runs / 2)), 1, buy(broke, "r"));

    // The chat: a balance question and a confirmed transfer, through the message function
    // (invoked as API Gateway would, and timed) and answered on a real socket.
    const ana = await inventory.quietly(() => ChatClient.open("user-ana"));
    const connectionId = await until(() => stack.websocket?.connections()[0]);
    const message = fn("agent-gateway-local-message");
    const host = new URL(stack.endpoints.http).host;
    const say = async (text: string): Promise<{ answer: ServerMessage; invocation: Invocation }> => {
      const next = ana.next(30_000);
      const event = {
        requestContext: {
          routeKey: "message", eventType: "MESSAGE", messageDirection: "IN", extendedRequestId: randomUUID(),
          requestTime: new Date().toUTCString(), stage: "local", connectedAt: Date.now(), requestTimeEpoch: Date.now(),
          identity: { sourceIp: "127.0.0.1", userAgent: "cost-inventory" }, requestId: randomUUID(), domainName: host,
          connectionId, apiId: "local", messageId: randomBytes(8).toString("base64"),
        },
        body: JSON.stringify({ action: "message", text }),
        isBase64Encoded: false,
      };
      const started = performance.now();
      await invokeFunction(message, event, { region: "us-east-1" });
      const invocation = { fn: message.functionName, ms: performance.now() - started, memoryMb: message.memorySize };
      return { answer: await next, invocation };
    };
    const balanceTurn = await inventory.measure("chat turn: balance question", runs, 3, async () => {
      await freshMinute();
      const { answer, invocation } = await say("¿Cuál es mi saldo?");
      if (answer.kind !== "answer") throw new Error(answer.text);
      return { correlationIds: [answer.correlation_id], invocations: [invocation], wsIn: 1, wsOut: 1 };
    });
    let lastTurn = "";
    const transferTurn = await inventory.measure("chat: confirmed transfer (two messages)", runs, 3, async () => {
      await freshMinute();
      const asked = await say("Transfiere 1 peso a mi hermano");
      lastTurn = asked.answer.correlation_id;
      if (asked.answer.kind !== "confirmation") throw new Error(asked.answer.text);
      const done = await say("sí");
      if (done.answer.data?.detail_type !== "TRANSFER_COMPLETED") throw new Error(done.answer.text);
      return { correlationIds: [asked.answer.correlation_id], invocations: [asked.invocation, done.invocation], wsIn: 2, wsOut: 2 };
    });
    await inventory.quietly(async () => {
      ana.close();
      await sleep(100);
    });
    // A session: $connect and $disconnect (the socket's open and close).
    const session = await inventory.measure("chat session ($connect, $disconnect)", Math.min(runs, 10), 1, async () => {
      const started = performance.now();
      const client = await ChatClient.open("user-luis");
      const ms = performance.now() - started;
      client.close();
      await sleep(100);
      return { correlationIds: [], invocations: [{ fn: fn("agent-gateway-local-connect").functionName, ms, memoryMb: 512 }, { fn: fn("agent-gateway-local-disconnect").functionName, ms, memoryMb: 512 }] };
    });

    // The seed's design (seeds/000 §2.2, §3.1), its DynamoDB calls made for real through the meter,
    // on items copied from the ones Centli wrote above (so the same sizes): a transfer reads the
    // source (strongly consistent), updates both balances under an optimistic lock and puts both
    // entries; a purchase reads and updates the product, makes that transfer, puts the purchase.
    // (The seed's update of the destination needs its version too; it is not read here, in the
    // seed's favour.)
    const [entry] = await ledgerOf([payer.account_id]);
    const record = await purchaseRecordOf(purchaseRequest(`${run}-p0`, shop, buyer));
    if (!entry || !record) throw new Error("no ledger entry or purchase record to copy");
    let seedSerial = 0;
    const seedTransferCalls = async () => {
      const id = `seed-${run}-${seedSerial++}`;
      const at = new Date().toISOString();
      const from = await seedDb.send(new GetCommand({ TableName: "centli-accounts-local", Key: { user_id: payer.user_id, account_id: payer.account_id }, ConsistentRead: true }));
      const version = (from.Item?.version as number | undefined) ?? 0;
      await seedDb.send(new UpdateCommand({ TableName: "centli-accounts-local", Key: { user_id: payer.user_id, account_id: payer.account_id }, UpdateExpression: "SET balance = balance - :a, version = :next, updated_at = :at", ConditionExpression: "(attribute_not_exists(version) OR version = :v) AND balance >= :a", ExpressionAttributeValues: { ":a": 100, ":v": version, ":next": version + 1, ":at": at } }));
      await seedDb.send(new UpdateCommand({ TableName: "centli-accounts-local", Key: { user_id: payee.user_id, account_id: payee.account_id }, UpdateExpression: "SET balance = balance + :a, updated_at = :at ADD version :one", ExpressionAttributeValues: { ":a": 100, ":one": 1, ":at": at } }));
      for (const [account, side] of [[payer.account_id, "debit"], [payee.account_id, "credit"]] as const)
        await seedDb.send(new PutCommand({ TableName: "centli-transactions-local", Item: { ...entry, account_id: account, direction: side, sk: `${at}#${id}`, transaction_id: id, request_id: id, timestamp: at } }));
    };
    const seedTransfer = await inventory.measure("seed transfer: its DynamoDB calls", runs, 2, async () => {
      await seedTransferCalls();
      return { correlationIds: [] };
    });
    const seedPurchase = await inventory.measure("seed purchase: its DynamoDB calls", runs, 2, async () => {
      const id = `seed-${run}-${seedSerial++}`;
      const key = { product_id: shop.product.product_id, retailer_id: shop.retailer.retailer_id };
      await seedDb.send(new GetCommand({ TableName: "centli-products-local", Key: key }));
      await seedDb.send(new UpdateCommand({ TableName: "centli-products-local", Key: key, UpdateExpression: "SET stock = stock - :q, updated_at = :at", ConditionExpression: "stock >= :q", ExpressionAttributeValues: { ":q": 1, ":at": new Date().toISOString() } }));
      await seedTransferCalls();
      await seedDb.send(new PutCommand({ TableName: "centli-purchases-local", Item: { ...record, sk: `${new Date().toISOString()}#${id}`, purchase_id: id } }));
      return { correlationIds: [] };
    });

    // The sizes of the items these flows write: what a write unit (1 KB, 2 in a transaction) buys.
    const raw = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const get = async (table: string, key: Record<string, string>) =>
      (await raw.send(new GetItemCommand({ TableName: `centli-${table}-local`, Key: Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])) }))).Item;
    const first = async (table: string, key: string, value: string) =>
      (await raw.send(new QueryCommand({ TableName: `centli-${table}-local`, KeyConditionExpression: "#k = :v", ExpressionAttributeNames: { "#k": key }, ExpressionAttributeValues: { ":v": { S: value } } }))).Items ?? [];
    const purchases = await first("purchases", "user_id", buyer.user_id);
    const samples: [string, Record<string, AttributeValue> | undefined][] = [
      ["accounts: an account", await get("accounts", { user_id: payer.user_id, account_id: payer.account_id })],
      ["transactions: a ledger entry", (await first("transactions", "account_id", payer.account_id))[0]],
      ["ledger-controls: a transfer's outcome", await get("ledger-controls", { pk: `transfer#${payer.user_id}#cost-t-${run}-0` })],
      ["ledger-controls: a purchase's payment", await get("ledger-controls", { pk: `payment#${buyer.user_id}#${purchaseIdFor(purchaseRequest(`${run}-p0`, shop, buyer))}` })],
      ["products: a product", await get("products", { product_id: shop.product.product_id, retailer_id: shop.retailer.retailer_id })],
      ["purchases: a purchase record", purchases.find((i) => i.status?.S === "confirmed")],
      ["purchases: its guard", purchases.find((i) => i.sk?.S?.startsWith("purchase#"))],
      ["conversations: a transfer turn, answered", await get("conversations", { pk: `turn#${lastTurn}` })],
    ];
    print("\n### Item sizes\n");
    print("| item | bytes | write units (standard / in a transaction) |");
    print("| --- | --- | --- |");
    for (const [name, item] of samples) {
      if (!item) continue;
      const bytes = itemSize(item);
      const units = Math.max(1, Math.ceil(bytes / 1024));
      print(`| ${name} | ${bytes} | ${units} / ${2 * units} |`);
    }
    raw.destroy();

    // ───── the tables ─────
    const p = PRICES;
    print(`\n## Per million operations (quantity × unit price)\n`);
    const tTotal = table("1,000,000 transfers (Centli)", commonLines(transfer.perRun), print);
    const seedTransferLines: Line[] = [
      { item: "Lambda requests", perOperation: 1, unit: "invocations", price: p.lambda.request, priceText: "$0.20 / M" },
      { item: "Lambda compute (arm64, at Centli's transfer function's median duration)", perOperation: transfer.perRun.gbSecondsMedian, unit: "GB-s", price: p.lambda.gbSecondArm, priceText: "$0.0000133334 / GB-s" },
      { item: "DynamoDB writes", perOperation: total(seedTransfer.perRun.writeUnits), unit: "WRU", price: p.dynamodb.writeUnit, priceText: "$0.625 / M WRU" },
      { item: "DynamoDB reads (one strongly consistent GetItem)", perOperation: total(seedTransfer.perRun.readUnits), unit: "RRU", price: p.dynamodb.readUnit, priceText: "$0.125 / M RRU" },
      { item: "EventBridge custom events", perOperation: transfer.perRun.eventChunks, unit: "events", price: p.eventBridge.customEvent, priceText: "$1.00 / M" },
      logs(transfer.perRun.logBytes, " (as Centli's)"),
      xray(1),
    ];
    const sTotal = table("1,000,000 transfers (the seed's design)", seedTransferLines, print);

    const sfn = (m: Measured): Line => ({ item: "Step Functions Standard transitions", perOperation: m.perRun.transitions, unit: "transitions", price: p.stepFunctions.standardTransition, priceText: "$0.025 / 1,000" });
    const pTotal = table("1,000,000 purchases (Centli, confirmed)", [...commonLines(purchase.perRun), sfn(purchase)], print);
    const rTotal = table("1,000,000 purchases refused for funds (Centli: reserved, voided, released)", [...commonLines(refused.perRun), sfn(refused)], print);
    const express = purchase.executionMs.reduce((a, d) => a + expressExecutionCost(d), 0) / purchase.executionMs.length;
    print(`\nThe same confirmed purchases on Express: $${(express * 1e6).toFixed(2)} per million (request + duration rounded up to 100 ms × 64 MB at $0.00001667/GB-s; executions' median ${median(purchase.executionMs).toFixed(0)} ms here) instead of $${(purchase.perRun.transitions * p.stepFunctions.standardTransition * 1e6).toFixed(2)} on Standard.`);
    // The seed's purchase (§3.1): the purchase function (read and update the product), PAYMENT_REQUEST,
    // the transfer function (as above), PAYMENT_COMPLETED, the purchase function again (put the purchase).
    const reserve = purchase.durations["marketplace/reserve-inventory"] ?? 0;
    const confirm = purchase.durations["marketplace/confirm-purchase"] ?? 0;
    const charge = purchase.durations["core-banking/charge-payment"] ?? 0;
    const seedPurchaseGbS = ((Math.ceil(reserve) + Math.ceil(charge) + Math.ceil(confirm)) / 1000) * 0.5;
    const seedPurchaseLines: Line[] = [
      { item: "Lambda requests (purchase, transfer, purchase)", perOperation: 3, unit: "invocations", price: p.lambda.request, priceText: "$0.20 / M" },
      { item: "Lambda compute (at Centli's reserve, charge, confirm durations)", perOperation: seedPurchaseGbS, unit: "GB-s", price: p.lambda.gbSecondArm, priceText: "$0.0000133334 / GB-s" },
      { item: "DynamoDB writes (product and its index, the transfer's, the purchase)", perOperation: total(seedPurchase.perRun.writeUnits), unit: "WRU", price: p.dynamodb.writeUnit, priceText: "$0.625 / M WRU" },
      { item: "DynamoDB reads (product, the transfer's source)", perOperation: total(seedPurchase.perRun.readUnits), unit: "RRU", price: p.dynamodb.readUnit, priceText: "$0.125 / M RRU" },
      { item: "EventBridge custom events (PURCHASE_REQUEST, PAYMENT_REQUEST, PAYMENT_COMPLETED, PURCHASE_CONFIRMED)", perOperation: 4, unit: "events", price: p.eventBridge.customEvent, priceText: "$1.00 / M" },
      logs(purchase.perRun.logBytes, " (as Centli's)"),
      xray(3),
    ];
    const spTotal = table("1,000,000 purchases (the seed's design)", seedPurchaseLines, print);

    // Bedrock (the deployed intent engine) reads the system prompt, every tool spec and the message.
    const promptChars = SYSTEM_PROMPT.length + JSON.stringify(bedrockTools()).length + 40;
    const inputTokens = Math.round(promptChars / 4);
    const outputTokens = 60;
    const ws = (m: Measured, minutesPerTurn: number): Line[] => [
      { item: "API Gateway WebSocket messages (in + out)", perOperation: m.perRun.wsIn + m.perRun.wsOut, unit: "messages", price: p.apiGatewayWebSocket.message, priceText: "$1.00 / M" },
      { item: "API Gateway connection minutes (a 5-minute session of 5 turns)", perOperation: minutesPerTurn, unit: "minutes", price: p.apiGatewayWebSocket.connectionMinute, priceText: "$0.25 / M" },
      { item: "session $connect/$disconnect, Lambda and DynamoDB, a fifth per turn", perOperation: 0.2, unit: "sessions", price: sessionCost(session), priceText: `$${(sessionCost(session) * 1e6).toFixed(2)} / M sessions (measured)` },
    ];
    const bedrock = (calls: number): Line => ({ item: `Bedrock, Nova Lite (deployed default): ~${inputTokens.toLocaleString("en-US")} input + ~${outputTokens} output tokens a call`, perOperation: calls, unit: "model calls", price: inputTokens * p.bedrock.novaLiteInputToken + outputTokens * p.bedrock.novaLiteOutputToken, priceText: `$${((inputTokens * p.bedrock.novaLiteInputToken + outputTokens * p.bedrock.novaLiteOutputToken) * 1e6).toFixed(0)} / M calls` });
    const cbTotal = table("1,000,000 chat turns: balance questions (Centli)", [...commonLines(balanceTurn.perRun), ...ws(balanceTurn, 1), bedrock(1)], print);
    const ctTotal = table("1,000,000 confirmed transfers through the chat (2 messages each; Centli)", [...commonLines(transferTurn.perRun), ...ws(transferTurn, 2), bedrock(1)], print);
    // The seed's chat (seeds/000 §5.1, §9.1): the message function asks the agent and puts the
    // request; the service answers; the gateway finds the customer's socket and pushes the answer.
    // No conversation state, and no confirmation before a transfer.
    const d = (m: Measured, name: string) => Math.ceil(m.durations[name] ?? 0) / 1000;
    const seedBalanceGbS = (d(balanceTurn, "agent-gateway/message") + d(balanceTurn, "core-banking/balance") + d(balanceTurn, "agent-gateway/respond")) * 0.5;
    const seedChatCommon = (invocations: number, gbS: number, wru: number, rru: number, events: number, messages: number, minutes: number, logBytes: number): Line[] => [
      { item: "Lambda requests", perOperation: invocations, unit: "invocations", price: p.lambda.request, priceText: "$0.20 / M" },
      { item: "Lambda compute (at Centli's durations for the same steps)", perOperation: gbS, unit: "GB-s", price: p.lambda.gbSecondArm, priceText: "$0.0000133334 / GB-s" },
      { item: "DynamoDB writes", perOperation: wru, unit: "WRU", price: p.dynamodb.writeUnit, priceText: "$0.625 / M WRU" },
      { item: "DynamoDB reads", perOperation: rru, unit: "RRU", price: p.dynamodb.readUnit, priceText: "$0.125 / M RRU" },
      { item: "EventBridge custom events", perOperation: events, unit: "events", price: p.eventBridge.customEvent, priceText: "$1.00 / M" },
      logs(logBytes, " (as Centli's)"),
      xray(invocations),
      { item: "API Gateway WebSocket messages (in + out)", perOperation: messages, unit: "messages", price: p.apiGatewayWebSocket.message, priceText: "$1.00 / M" },
      { item: "API Gateway connection minutes", perOperation: minutes, unit: "minutes", price: p.apiGatewayWebSocket.connectionMinute, priceText: "$0.25 / M" },
      { item: "session $connect/$disconnect, a fifth per turn", perOperation: 0.2, unit: "sessions", price: sessionCost(session), priceText: `$${(sessionCost(session) * 1e6).toFixed(2)} / M sessions` },
      bedrock(1),
    ];
    const balanceReads = total(balanceTurn.perRun.readUnits) - (balanceTurn.perRun.readUnits.sessions ?? 0) - (balanceTurn.perRun.readUnits.conversations ?? 0) - (balanceTurn.perRun.readUnits["sessions/user_id-index"] ?? 0);
    const sbTotal = table("1,000,000 chat turns: balance questions (the seed's design: message, balance, push; one session lookup)", seedChatCommon(3, seedBalanceGbS, 0, balanceReads + 0.5, 2, 2, 1, balanceTurn.perRun.logBytes), print);
    const seedTransferChatGbS = (d(transferTurn, "agent-gateway/message") + d(transferTurn, "crm/resolve-alias") + 2 * d(transferTurn, "agent-gateway/respond") + d(transferTurn, "core-banking/transfer")) * 0.5;
    const stTotal = table(
      "1,000,000 transfers through the chat (the seed's design: alias, then transfer, no confirmation; one message each way)",
      seedChatCommon(5, seedTransferChatGbS, total(seedTransfer.perRun.writeUnits), total(seedTransfer.perRun.readUnits) + 0.5 + 2 * 0.5, 4, 2, 1, transferTurn.perRun.logBytes / 2),
      print,
    );
    print(`\nSeed chat totals per million: balance turns ${money(sbTotal.total)}, transfers ${money(stTotal.total)} (one model call each, at least; an agent that also phrases the answer makes two).`);
    print(`\nBedrock estimate: the prompt is ${promptChars.toLocaleString("en-US")} characters (system prompt + ${bedrockTools().length} tool specs + the message), counted at 4 characters a token; "sí" never reaches the model.`);

    // The SPEI transfer saga (sagas/spei-transfer.asl.yml), measured like the purchase: every state
    // it ran, every task attempt, the bus events and the DynamoDB calls, to a payee whose order the
    // local participant settles after about a second. Besides those, the participant's result
    // reaches Core Banking as one HTTP API request and one invocation of the order-result function,
    // which the bus does not see: counted here at the median duration of the saga's own tasks.
    const speiPayer: TestAccount = { user_id: `user-${run}-spei`, account_id: `acc-${run}-spei`, balance: 1_000_000_000 };
    await createAccounts([speiPayer]);
    const speiPayee = makeClabe({ bank: "012", plaza: "180", account: "01234567890" });
    const speiOut = await inventory.measure("SPEI transfer (settled)", runs, 2, async (i) => {
      const id = `cost-s-${run}-${i}`;
      const request = { request_id: id, correlation_id: id, user_id: speiPayer.user_id, from_account_id: speiPayer.account_id, to_clabe: speiPayee, beneficiary_name: "Casero", amount: 100, currency: "MXN", description: "Renta" };
      await putRequests([{ detailType: "SPEI_TRANSFER_REQUEST", detail: request }]);
      const transferId = speiTransferId(request);
      const history = await until(async () => {
        const h = await getJson<ExecutionHistory>(`/executions/${transferId}`).catch(() => undefined);
        return h && h.status !== "RUNNING" ? h : undefined;
      });
      if (!history.states.some((state) => state.name === "Settle")) throw new Error(`SPEI transfer ${transferId} did not settle: ${history.status}`);
      return { correlationIds: [id], purchaseIds: [transferId] };
    });
    const speiTaskMs = median(Object.entries(speiOut.durations).filter(([name]) => name.startsWith("core-banking/spei")).map(([, ms]) => ms));
    const speiTotal = table(
      "1,000,000 SPEI transfers (Centli, settled)",
      [
        ...commonLines(speiOut.perRun),
        sfn(speiOut),
        { item: "the participant's result: an HTTP API request", perOperation: 1, unit: "requests", price: p.apiGatewayHttp.request, priceText: "$1.00 / M" },
        { item: `the participant's result: the order-result function (an invocation at the saga's tasks' median, ${Math.ceil(speiTaskMs)} ms, 512 MB)`, perOperation: 1, unit: "invocations", price: p.lambda.request + (Math.ceil(speiTaskMs) / 1000) * 0.5 * p.lambda.gbSecondArm, priceText: "$0.20 / M + compute" },
      ],
      print,
    );
    const speiStandard = speiOut.perRun.transitions * p.stepFunctions.standardTransition * 1e6;

    // ───── bench/COST.md ─────
    const standardPerPurchase = purchase.perRun.transitions * p.stepFunctions.standardTransition * 1e6;
    const expressPerPurchase = express * 1e6;
    const pOnExpress = pTotal.total - standardPerPurchase + expressPerPurchase;
    const line = (c: Costed, start: string) => c.lines.find((l) => l.item.startsWith(start))?.cost ?? 0;
    const reading = [
      "## Reading the totals",
      "",
      `**Transfers: ${money(tTotal.total - sTotal.total)} a million ${tTotal.total >= sTotal.total ? "more" : "less"} than the seed's design.** Centli's DynamoDB writes cost ${money(line(tTotal, "DynamoDB writes"))} (${Number(total(transfer.perRun.writeUnits).toPrecision(3))} units a transfer: one transaction of the two balances, the two ledger entries, the request's outcome and the day's debit counter, every item written twice, plus index writes) against the seed's ${money(line(sTotal, "DynamoDB writes"))} (${Number(total(seedTransfer.perRun.writeUnits).toPrecision(3))} units); the seed's five separate calls lose money when its function stops between the debit and the credit, and nothing records a request's outcome, so a redelivered event is a second transfer (RESULTS.md measures both).`,
      "",
      `**Purchases: Step Functions Standard is ${Math.round((standardPerPurchase / pTotal.total) * 100)} % of the bill** (${Number(purchase.perRun.transitions.toPrecision(3))} transitions, ${money(standardPerPurchase)} a million of ${money(pTotal.total)}). The same executions on Express would cost ${money(expressPerPurchase)} a million (executions' median ${median(purchase.executionMs).toFixed(0)} ms here, rounded up to 100 ms × 64 MB), and the purchase as a whole would go from ${money(pTotal.total)} to ${money(pOnExpress)}. Express is not safe for this saga as it stands (an asynchronous Express execution runs at least once, and its compensations trust that their execution is the only one); the design notes below and the Saga section of RESULTS.md say why.`,
      "",
      `**A purchase refused for funds: ${money(rTotal.total)} a million**, of which ${money(line(rTotal, "DynamoDB writes of the cancelled"))} is the cancelled charge transaction's ${Number(total(refused.perRun.cancelledWriteUnits).toPrecision(3))} write units, counted because DynamoDB bills a refused transactional write.`,
      "",
      `**SPEI transfers: ${money(speiTotal.total)} a million, Step Functions Standard ${Math.round((speiStandard / speiTotal.total) * 100)} % of it** (${Number(speiOut.perRun.transitions.toPrecision(3))} transitions, ${money(speiStandard)} a million; ${Number(speiOut.perRun.invocations.toPrecision(3))} invocations from the bus and the saga plus the participant's result, and ${Number(total(speiOut.perRun.writeUnits).toPrecision(3))} write units a transfer). The saga waits for the participant with a task token, which Standard bills as one transition however long the wait; Express workflows do not support the wait-for-callback pattern at all. The SPEI network's own fees are not in it.`,
      "",
      `**Chat: the model is the bill.** A balance question costs ${money(cbTotal.total)} a million, of which Bedrock is ${money(line(cbTotal, "Bedrock"))} (${Math.round((line(cbTotal, "Bedrock") / cbTotal.total) * 100)} %): ~${inputTokens.toLocaleString("en-US")} input tokens a call, the system prompt and every tool's specification (an estimate at 4 characters a token). The seed's design pays the same model call: ${money(sbTotal.total)} a balance question, ${money(stTotal.total)} a transfer with no confirmation, against Centli's ${money(ctTotal.total)} for a confirmed one.`,
      "",
    ].join("\n");
    const doc = [
      "# Scale, on paper: what a million of each costs in AWS, and where it stops scaling",
      "",
      `Written by \`npx tsx bench/cost-inventory.ts --n ${runs}\` on ${new Date().toISOString().slice(0, 10)}: every figure below is a quantity measured in that run × a unit price from [\`aws-prices.ts\`](aws-prices.ts): us-east-1 on-demand, no free tier, prices as of ${PRICES_AS_OF}. Confirm the prices on AWS's pricing pages before quoting a figure.`,
      "",
      "**How the quantities are measured.** The script starts a local stack of its own and runs each flow after a warm-up, one at a time, every DynamoDB call the handlers make going through a meter ([`dynamodb-meter.ts`](dynamodb-meter.ts)): single-item calls and queries as DynamoDB Local reports their consumed capacity; transactions per item from the items' real sizes (2 units per KB, plus 1 per KB for each index the write changes); a cancelled transaction at every item it named, because DynamoDB bills a refused write. Events are the entries on the bus under the flow's correlation ids; invocations are the bus deliveries, the saga's task attempts and the WebSocket route invocations. Compute is each function's **median** duration here × its invocations, rounded up to the millisecond, at its configured memory, for Centli and for the seed's design alike (the seed's at the median of Centli's function doing the nearest work). Log bytes are what the handlers wrote at INFO, plus about 300 bytes of Lambda's own lines per invocation.",
      "",
      `**Assumptions.** X-Ray: the default sampling rule (the first request each second and 5 % of the rest) at an assumed ${XRAY_RATE_PER_SECOND} invocations a second per function, so ${(xraySampled() * 100).toFixed(2)} % of invocations are traced. Chat sessions: 5 minutes and 5 turns. Durations are this machine's (2 shared cores, DynamoDB Local in a JVM), longer than AWS's; the compute lines are small in every total. Not in the totals: storage, log storage, data transfer, cold starts' INIT billing, the dead-letter queues.`,
      "",
      "## The totals",
      "",
      "| per 1,000,000 | Centli | the seed's design | the line that decides Centli's |",
      "| --- | --- | --- | --- |",
      totalsRow("transfers", tTotal, sTotal),
      totalsRow("purchases (confirmed)", pTotal, spTotal),
      totalsRow("purchases refused for funds (reserved, voided, released)", rTotal),
      totalsRow("chat turns: balance questions", cbTotal, sbTotal),
      totalsRow("confirmed transfers through the chat (two messages)", ctTotal, stTotal),
      totalsRow("SPEI transfers (settled)", speiTotal),
      "",
      reading,
      `## The tables (measured, ${runs} runs per flow)`,
      ...inventory.written,
      "",
      readFileSync(join(__dirname, "cost-scaling.md"), "utf8").trimEnd(),
      "",
    ].join("\n");
    if (process.argv.includes("--print")) print(doc);
    else {
      writeFileSync(join(__dirname, "COST.md"), doc);
      print(`\nwrote bench/COST.md`);
    }
  } finally {
    seedDb.destroy();
    await stack.stop().catch(() => {});
    await meter.stop();
  }
}

/** A session's measured cost: its two invocations and its DynamoDB units. */
function sessionCost(session: Measured): number {
  const m = session.perRun;
  return (
    m.invocations * PRICES.lambda.request +
    m.gbSeconds * PRICES.lambda.gbSecondArm +
    total(m.writeUnits) * PRICES.dynamodb.writeUnit +
    total(m.readUnits) * PRICES.dynamodb.readUnit
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
