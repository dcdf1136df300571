/**
 * The chat as deployed reads messages: the local stack started with `--param intentEngine=bedrock`
 * (INTENT_ENGINE bedrock for every door), so each chat message goes through the message
 * function's `BedrockEngine` and its real `BedrockRuntimeClient` (endpoint from
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME, SigV4 signing, HTTP/2, the Converse request and response
 * serialised) to a local Converse endpoint (local/bedrock-runtime.ts) that answers as the parser
 * reads, after a wait drawn from a recorded Bedrock latency distribution
 * (bench/bedrock-latency.ts). The model's time is inside the measured turn, where it is in AWS,
 * not added to it afterwards.
 *
 * Candidate and baseline are the same turns on the same stack, in interleaved rounds (which goes
 * first alternating): with the recorded wait, and with the endpoint answering at once. So the
 * baseline is the Bedrock code path without the model's latency, and the difference is the
 * model's time as a customer meets it in a turn.
 *
 * - A balance question, "¿Cuál es mi saldo?": one Converse call; message sent → answer on the
 *   socket.
 * - A confirmed transfer, "Transfiere 1 peso a mi hermano", then "sí": one Converse call (a "sí"
 *   is read by the parser first, never by the model); first message → final answer.
 */
import { startConverseStub, type ConverseStub } from "../local/bedrock-runtime";
import { ChatClient } from "../tests/integration/chat/support";
import { closeClients, endpoints } from "../tests/integration/support";
import { latencyAt, latencySampler, RECORDED } from "./bedrock-latency";
import { BALANCE, converse, SECTION, TRANSFER } from "./chat.bench";
import { fromClients, median, stopStack, useStack, type Benchmark, type Figure } from "./harness";
import { pooledPercentileRatio, type RoundSamples } from "./stats";
import { freshMinute, ms } from "./stack-probe";

/** The stack's settings for this run: the Bedrock engine, and the Converse endpoint it calls. */
async function bedrockStack(stub: ConverseStub): Promise<void> {
  const saved = { params: process.env.CENTLI_PARAMS, endpoint: process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME };
  // Another benchmark's stack runs the parser: this one is started afresh with the param.
  await stopStack();
  process.env.CENTLI_PARAMS = "intentEngine=bedrock";
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = stub.url;
  try {
    await useStack();
  } finally {
    // The stack's process has them; this one, and the stacks after this benchmark, must not.
    if (saved.params === undefined) delete process.env.CENTLI_PARAMS;
    else process.env.CENTLI_PARAMS = saved.params;
    if (saved.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = saved.endpoint;
  }
}

export const chatBedrock: Benchmark = {
  name: "chat-bedrock",
  // It starts its own stack (the Bedrock engine), and stops it, so the next benchmark gets the usual one.
  needsStack: false,
  async run({ quick, log }) {
    const balanceTurns = quick ? 10 : 200;
    const transferTurns = quick ? 4 : 60;
    const rounds = quick ? 2 : 4;
    const recorded = latencySampler(RECORDED);
    const applied: number[] = [];
    const withModel = () => {
      const wait = recorded();
      applied.push(wait);
      return wait;
    };
    const stub = await startConverseStub();
    let sockets: ChatClient[] = [];
    try {
      await bedrockStack(stub);
      const users = Object.keys(endpoints().tokens).sort();
      sockets = await Promise.all(users.map((u) => ChatClient.open(u)));
      const balanceClients = quick ? sockets.slice(0, 2) : sockets;

      // Who can pay "mi hermano": a first conversation each, which also warms the Bedrock path
      // (the client's connection, the handlers), with no wait.
      const payers: ChatClient[] = [];
      for (const client of sockets) {
        await freshMinute();
        const first = await client.ask(TRANSFER);
        if (first.kind !== "confirmation") {
          if (first.kind === "question") await client.ask("no");
          continue;
        }
        const done = await client.ask("sí");
        if (done.data?.detail_type === "TRANSFER_COMPLETED") payers.push(client);
      }
      if (payers.length === 0) throw new Error('no seeded customer has a "mi hermano" to pay');
      const warmCalls = stub.waits.length;
      if (warmCalls === 0)
        throw new Error("the chat did not call Converse: the stack is not running the Bedrock engine");
      await fromClients(balanceClients.length, balanceClients.length * 2, async (_, c) => {
        await (balanceClients[c] as ChatClient).ask(BALANCE);
      });

      const balanceRounds: RoundSamples[] = [];
      const transferRounds: RoundSamples[] = [];
      const callsBefore = stub.waits.length;
      let turns = 0;
      for (let round = 0; round < rounds; round++) {
        const balances = Math.ceil(balanceTurns / rounds);
        const transfers = Math.ceil(transferTurns / rounds);
        const balance = { candidate: [] as number[], baseline: [] as number[] };
        const moved = { candidate: [] as number[], baseline: [] as number[] };
        const turnsWith = async (side: "candidate" | "baseline") => {
          stub.setDelay(side === "candidate" ? withModel : undefined);
          await freshMinute();
          await fromClients(balanceClients.length, balances, async (_, c) => {
            const client = balanceClients[c] as ChatClient;
            const started = performance.now();
            const answer = await client.ask(BALANCE);
            if (answer.kind !== "answer") throw new Error(`${client.userId}: ${answer.kind}: ${answer.text}`);
            balance[side].push(performance.now() - started);
          });
          await fromClients(payers.length, transfers, async (_, c) => {
            await freshMinute();
            moved[side].push((await converse(payers[c] as ChatClient)).totalMs);
          });
          turns += balances + transfers;
        };
        if (round % 2 === 0) {
          await turnsWith("candidate");
          await turnsWith("baseline");
        } else {
          await turnsWith("baseline");
          await turnsWith("candidate");
        }
        balanceRounds.push(balance);
        transferRounds.push(moved);
        log(
          `round ${round + 1}/${rounds}: balance with the model's time ${ms(median(balance.candidate))} vs without ${ms(median(balance.baseline))}; transfer ${ms(median(moved.candidate))} vs ${ms(median(moved.baseline))}`,
        );
      }
      stub.setDelay(undefined);
      const calls = stub.waits.length - callsBefore;
      // At least one per turn (a message delivered twice may be read twice); none missing.
      if (calls < turns)
        throw new Error(`expected a Converse call per measured turn, got ${calls} calls for ${turns} turns`);
      log(
        `Converse calls in the measured turns: ${calls} for ${turns} turns, ${applied.length} with a recorded wait: median ${ms(median(applied))} (the source's median ${ms(latencyAt(RECORDED, 0.5))})`,
      );

      const pair = (rs: readonly RoundSamples[], p: number) => {
        const e = pooledPercentileRatio(rs, p);
        return { value: e.value, base: e.baseline, ratio: e.ratio, ratioInterval: e.interval, rounds: e.rounds };
      };
      const figure = (name: string, baselineName: string, estimate: ReturnType<typeof pair>, note?: string): Figure => {
        const { base, ...rest } = estimate;
        return { section: SECTION, name, unit: "ms", baseline: { name: baselineName, value: base }, ...rest, ...(note ? { note } : {}) };
      };
      const b50 = pair(balanceRounds, 50);
      const t50 = pair(transferRounds, 50);
      const note =
        `MEASURED through the deployed engine's code path, with the model's latency MODELLED: the local stack ran INTENT_ENGINE=bedrock, so each message went through the message function's BedrockEngine and its AWS SDK client (signed, HTTP/2, the Converse request and answer serialised) to a local Converse endpoint (local/bedrock-runtime.ts) that answered as the parser reads after waiting ${RECORDED.label}. ` +
        `Only these figures include the model's latency; the baselines (the same turns with the endpoint answering at once) and every other chat figure here exclude it. The difference at p50, ${ms(b50.value - b50.base)} per balance question and ${ms(t50.value - t50.base)} per confirmed transfer (one Converse call each; the "sí" is read without the model), is the model's time as a customer meets it. ` +
        `${balanceRounds.reduce((n, r) => n + r.candidate.length, 0)} questions and ${transferRounds.reduce((n, r) => n + r.candidate.length, 0)} conversations each way, from ${balanceClients.length} and ${payers.length} clients, ${rounds} rounds (which goes first alternating).`;
      return [
        figure(
          `chat balance question through the Bedrock engine, with a recorded Bedrock latency in the engine, p50, ${balanceClients.length} clients`,
          "the same turn, the Converse endpoint answering at once (no model latency), p50",
          b50,
          note,
        ),
        figure(
          `chat balance question through the Bedrock engine, with a recorded Bedrock latency in the engine, p99, ${balanceClients.length} clients`,
          "without the model latency, p99",
          pair(balanceRounds, 99),
        ),
        figure(
          `chat confirmed transfer through the Bedrock engine, with a recorded Bedrock latency in the engine, p50, ${payers.length} clients`,
          "without the model latency, p50",
          t50,
        ),
        figure(
          `chat confirmed transfer through the Bedrock engine, with a recorded Bedrock latency in the engine, p99, ${payers.length} clients`,
          "without the model latency, p99",
          pair(transferRounds, 99),
        ),
      ];
    } finally {
      for (const socket of sockets) socket.close();
      closeClients();
      await stopStack();
      await stub.stop();
    }
  },
};
