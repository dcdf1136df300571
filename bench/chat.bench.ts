/**
 * The chat through a real WebSocket (`ws`, as seeded customers with their demo tokens), against
 * the same requests put straight on the bus: what the conversation layer costs.
 *
 * - A balance question, "¿Cuál es mi saldo?": the message is sent → the answer arrives on the
 *   socket. Baseline: BALANCE_QUERY put on the bus → BALANCE_RESPONSE on the bus, for the same
 *   customers from as many clients.
 * - A confirmed transfer, "Transfiere 1 peso a mi hermano", then "sí" as soon as the
 *   confirmation arrives → the final answer. Baseline: the bus requests that same turn made
 *   (read from its events: resolve the alias, find the paying account, transfer), put on the bus
 *   one after another, each timed as bench/stack-probe.ts says.
 * Candidate and baseline run in interleaved rounds, after a warm-up of each. The chat's figure
 * adds what the gateway does: the WebSocket frame and the message function (session, intent
 * parser, the turn's conditional write, the outbox), and for each answer the respond function
 * (the turn's read and write, the next request or PostToConnection) and the frame back.
 */
import {
  closeClients,
  endpoints,
  eventsFor,
  runId,
} from "../tests/integration/support";
import { ChatClient } from "../tests/integration/chat/support";
import { fromClients, median, type Benchmark, type Figure } from "./harness";
import { pooledPercentileRatio, type RoundSamples } from "./stats";
import { drawLatency, RECORDED } from "./bedrock-latency";
import {
  benchId,
  busRoundTrip,
  eventsWithDeliveries,
  freshMinute,
  ms,
  spread,
} from "./stack-probe";

export const SECTION = "Saga and conversation";
export const BALANCE = "¿Cuál es mi saldo?";
export const TRANSFER = "Transfiere 1 peso a mi hermano";
const YES = "sí";
const GATEWAY = "centli.agent-gateway";

/** A request the chat put on the bus during a turn, to be put there again without the chat. */
interface BusStep {
  detailType: string;
  detail: Record<string, unknown>;
}

/** A customer whose "mi hermano" resolves: their socket, and the bus requests their transfer turn makes. */
interface Payer {
  client: ChatClient;
  steps: BusStep[];
}

/** One confirmed transfer through the chat; returns the time from the first message to the final answer. */
export async function converse(
  client: ChatClient,
): Promise<{ totalMs: number; confirmMs: number; correlationId: string }> {
  const started = performance.now();
  const asked = await client.ask(TRANSFER);
  const confirmMs = performance.now() - started;
  if (asked.kind !== "confirmation")
    throw new Error(`${client.userId}: expected a confirmation, got ${asked.kind}: ${asked.text}`);
  const done = await client.ask(YES);
  const totalMs = performance.now() - started;
  if (done.kind !== "answer" || done.data?.detail_type !== "TRANSFER_COMPLETED")
    throw new Error(`${client.userId}: the transfer was not done: ${done.kind}: ${done.text}`);
  return { totalMs, confirmMs, correlationId: asked.correlation_id };
}

export const chat: Benchmark = {
  name: "chat",
  needsStack: true,
  async run({ quick, log }) {
    const run = runId();
    const users = Object.keys(endpoints().tokens).sort();
    const balanceTurns = quick ? 10 : 200;
    const transferTurns = quick ? 4 : 100;
    const rounds = quick ? 1 : 4;
    const sockets = await Promise.all(users.map((u) => ChatClient.open(u)));
    const balanceClients = quick ? sockets.slice(0, 2) : sockets;

    try {
      // Who can pay "mi hermano" (the seed gives Ana and Sofía one): a first conversation each,
      // which also warms the transfer path, and whose bus requests become the baseline's steps.
      const payers: Payer[] = [];
      for (const client of sockets) {
        const first = await client.ask(TRANSFER);
        if (first.kind !== "confirmation") {
          if (first.kind === "question") await client.ask("no");
          continue;
        }
        const done = await client.ask(YES);
        if (done.data?.detail_type !== "TRANSFER_COMPLETED") continue;
        const steps = (await eventsFor(first.correlation_id))
          .filter((e) => e.source === GATEWAY)
          .map((e) => ({ detailType: e["detail-type"], detail: e.detail }));
        payers.push({ client, steps });
      }
      if (payers.length === 0)
        throw new Error('no seeded customer has a "mi hermano" to pay');
      log(
        `transfer turn's bus requests: ${payers[0]?.steps.map((s) => s.detailType).join(" → ")}; payers ${payers.map((p) => p.client.userId).join(", ")}`,
      );

      let serial = 0;
      const balanceOnBus = (client: ChatClient) => {
        const id = benchId(`b${run}-${serial++}`);
        return busRoundTrip("BALANCE_QUERY", {
          request_id: id,
          correlation_id: id,
          user_id: client.userId,
        });
      };
      const transferOnBus = async (payer: Payer) => {
        let total = 0;
        for (const step of payer.steps) {
          const id = benchId(`x${run}-${serial++}`);
          const timed = await busRoundTrip(step.detailType, {
            ...step.detail,
            request_id: id,
            correlation_id: id,
          });
          total += timed.latencyMs;
        }
        return total;
      };

      // Warm-up of the balance path, both ways.
      await freshMinute();
      await fromClients(balanceClients.length, balanceClients.length * 2, async (_, c) => {
        await balanceOnBus(balanceClients[c] as ChatClient);
        await (balanceClients[c] as ChatClient).ask(BALANCE);
      });

      const chatBalance: number[] = [];
      const busBalance: number[] = [];
      const chatTransfer: number[] = [];
      const chatConfirm: number[] = [];
      const busTransfer: number[] = [];
      const turnIds: string[] = [];
      const balanceRounds: RoundSamples[] = [];
      const transferRounds: RoundSamples[] = [];
      for (let round = 0; round < rounds; round++) {
        const balances = Math.ceil(balanceTurns / rounds);
        const transfers = Math.ceil(transferTurns / rounds);
        const balance = { candidate: [] as number[], baseline: [] as number[] };
        const moved = { candidate: [] as number[], baseline: [] as number[] };
        const onBus = async () => {
          await fromClients(balanceClients.length, balances, async (_, c) => {
            const timed = await balanceOnBus(balanceClients[c] as ChatClient);
            busBalance.push(timed.latencyMs);
            balance.baseline.push(timed.latencyMs);
          });
          await fromClients(payers.length, transfers, async (_, c) => {
            const total = await transferOnBus(payers[c] as Payer);
            busTransfer.push(total);
            moved.baseline.push(total);
          });
        };
        const inChat = async () => {
          await freshMinute();
          await fromClients(balanceClients.length, balances, async (_, c) => {
            const client = balanceClients[c] as ChatClient;
            const started = performance.now();
            const answer = await client.ask(BALANCE);
            if (answer.kind !== "answer")
              throw new Error(`${client.userId}: ${answer.kind}: ${answer.text}`);
            const took = performance.now() - started;
            chatBalance.push(took);
            balance.candidate.push(took);
            if (turnIds.length < 20) turnIds.push(answer.correlation_id);
          });
          await fromClients(payers.length, transfers, async (_, c) => {
            // A payer converses more often than the per-minute limit allows: unspent before
            // each conversation, outside its timing.
            await freshMinute();
            const timed = await converse((payers[c] as Payer).client);
            chatTransfer.push(timed.totalMs);
            moved.candidate.push(timed.totalMs);
            chatConfirm.push(timed.confirmMs);
            if (turnIds.length < 40) turnIds.push(timed.correlationId);
          });
        };
        // Which goes first alternates, so neither always runs on the other's leftovers.
        if (round % 2 === 0) {
          await onBus();
          await inChat();
        } else {
          await inChat();
          await onBus();
        }
        balanceRounds.push(balance);
        transferRounds.push(moved);
        log(
          `round ${round + 1}/${rounds}: balance chat ${ms(median(balance.candidate))} vs bus ${ms(median(balance.baseline))}; transfer chat ${ms(median(moved.candidate))} vs bus ${ms(median(moved.baseline))}`,
        );
      }

      // Where the chat's time goes: the respond function's deliveries in the turns measured.
      const respond: number[] = [];
      for (const id of turnIds)
        for (const event of await eventsWithDeliveries(id))
          for (const d of event.deliveries)
            if (d.target.endsWith("-respond") && d.outcome === "succeeded")
              respond.push(d.durationMs);
      log(
        `respond function p50 ${ms(median(respond))} per answer (${respond.length} deliveries); transfer conversation: first message → confirmation p50 ${ms(median(chatConfirm))}`,
      );

      const b = spread(busBalance);
      const cb = spread(chatBalance);
      const tb = spread(busTransfer);
      const ct = spread(chatTransfer);
      const hops = payers[0]?.steps.length ?? 0;
      const balanceNote =
        `Both answer from the same balance function; the chat adds the WebSocket both ways, the message function (the session read, the intent parser, the turn's conditional write and the request put on the bus) and the respond function (the turn read and written, PostToConnection): ${ms(cb.p50 - b.p50)} at p50 here, the conversation layer's price per question. ` +
        `${cb.n} questions and ${b.n} bus queries from ${balanceClients.length} clients (seeded customers, one socket each), ${rounds} rounds (which goes first alternating) after a warm-up; both timed by the client's clock with the answer pushed (the WebSocket; the bus's /events/wait). These figures exclude the intent engine's model latency: the local engine parses in process, where the deployed chat calls Bedrock Converse (the chat-bedrock figures run that engine with a recorded latency inside it).`;
      const transferNote =
        `The chat turn makes ${hops} bus requests (${payers[0]?.steps.map((s) => s.detailType).join(", ")}) and waits for the customer's "sí" in between (sent the moment the confirmation arrives); the baseline puts the same ${hops} requests on the bus one after another. ` +
        `The difference, ${ms(ct.p50 - tb.p50)} at p50, is ${hops + 2} gateway invocations (two messages, ${hops} answers), the pending confirmation written and consumed, and two WebSocket round trips. ${ct.n} conversations from ${payers.length} customers (only those with a "mi hermano"), ${tb.n} bus sequences.`;
      const pair = (
        rs: readonly RoundSamples[],
        p: number,
      ): Pick<Figure, "value" | "ratio" | "ratioInterval" | "rounds"> & { base: number } => {
        const e = pooledPercentileRatio(rs, p);
        return { value: e.value, base: e.baseline, ratio: e.ratio, ratioInterval: e.interval, rounds: e.rounds };
      };
      const figure = (
        name: string,
        baselineName: string,
        estimate: ReturnType<typeof pair>,
        note?: string,
      ): Figure => {
        const { base, ...rest } = estimate;
        return {
          section: SECTION,
          name,
          unit: "ms",
          baseline: { name: baselineName, value: base },
          ...rest,
          ...(note ? { note } : {}),
        };
      };
      const figures: Figure[] = [
        figure(
          `chat balance question, p50, ${balanceClients.length} clients (message → answer on the WebSocket; parser engine, no model latency)`,
          "BALANCE_QUERY put → BALANCE_RESPONSE pushed, p50",
          pair(balanceRounds, 50),
          balanceNote,
        ),
        figure(`chat balance question, p99, ${balanceClients.length} clients (parser engine, no model latency)`, "on the bus, p99", pair(balanceRounds, 99)),
        figure(
          `chat confirmed transfer, p50, ${payers.length} clients ("Transfiere 1 peso a mi hermano" → confirmation → "sí" → answer; parser engine, no model latency)`,
          `its ${hops} requests in sequence on the bus, p50`,
          pair(transferRounds, 50),
          transferNote,
        ),
        figure(`chat confirmed transfer, p99, ${payers.length} clients (parser engine, no model latency)`, "on the bus, p99", pair(transferRounds, 99)),
      ];

      // The deployed chat's model call: one Converse call per balance question, drawn from the
      // recorded distribution (bench/bedrock-latency.ts) and added to each measured turn. The
      // chat-bedrock benchmark puts the same draws inside the engine instead.
      const draws = drawLatency(RECORDED, chatBalance.length);
      let at = 0;
      const withModel: RoundSamples[] = balanceRounds.map((r) => ({
        candidate: r.candidate.map((ms) => ms + (draws[at++] as number)),
        baseline: r.candidate,
      }));
      const modelNote = `MODELLED, not measured: ${RECORDED.label}, one draw per question added after the fact to each parser turn measured above. The baseline is the same turns without it. The chat-bedrock figures put the same distribution inside the engine instead (the Bedrock engine's real client calling a local Converse endpoint that waits the draw); every other figure in this benchmark excludes the model's latency.`;
      figures.push(
        figure(
          `chat balance question with a recorded Bedrock latency added after the turn (parser engine), p50, ${balanceClients.length} clients`,
          "the measured turn without the model call, p50",
          pair(withModel, 50),
          modelNote,
        ),
        figure(
          `chat balance question with a recorded Bedrock latency added after the turn (parser engine), p99, ${balanceClients.length} clients`,
          "the measured turn without it, p99",
          pair(withModel, 99),
        ),
      );
      return figures;
    } finally {
      for (const socket of sockets) socket.close();
      closeClients();
    }
  },
};
