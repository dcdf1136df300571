/**
 * A voice turn through the local Lex V2 runtime, against the same turn without Lex: what the bot
 * in front of the code hook costs.
 *
 * - Candidate: "¿cuál es mi saldo?" sent as RecognizeText with `@aws-sdk/client-lex-runtime-v2`
 *   (HTTP/2, as the client ships) to the stack's Lex runtime, which keeps the session, builds the
 *   Lex V2 code hook event, invokes bot-code-hook through the stack's invoke, checks its answer and
 *   answers RecognizeTextResponse.
 * - Baseline: the same code hook invoked directly through the stack's Lambda Invoke API
 *   (`@aws-sdk/client-lambda`) with the event the runtime builds for that turn (the same bot, locale,
 *   session attributes and contact), so both do the identical work behind the hook (the token's MAC
 *   checked with KMS, the conversation core, the balance function, the call's turn in DynamoDB).
 *
 * Why this baseline: the chat turn would compare two doors (the chat's is asynchronous over the bus
 * and a WebSocket; the voice door calls the services synchronously), so its ratio would mostly
 * measure that difference, not Lex. Invoking the hook directly isolates what the Lex runtime adds,
 * which is the figure this benchmark claims. It is the local runtime's cost, not Amazon Lex's: in
 * AWS, speech recognition and Connect's streaming dominate a turn and are not measured here.
 * Callers are verified once each (authenticate-caller through the Lambda API, a seeded customer's
 * phone and the seeded PIN) and each client keeps its own contact; candidate and baseline run in interleaved
 * rounds after a warm-up of each.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { LexRuntimeV2Client, RecognizeTextCommand } from "@aws-sdk/client-lex-runtime-v2";
import type { LexV2Result } from "aws-lambda";
import { botsOf, codeHookEvent, matchIntent, type LocalBot } from "../local/lex-runtime";
import { loadServiceConfig } from "../local/serverless-config";
import { fromClients, type Benchmark, type Figure } from "./harness";
import { ms, spread } from "./stack-probe";

const SECTION = "Voice";
const BALANCE = "¿cuál es mi saldo?";
const LOCALE = "es_419";
/** The seeded customers' phones as Connect passes them (E.164); the seed gives each the PIN 2468. */
const PHONES = (JSON.parse(readFileSync(join(__dirname, "..", "seed", "data", "customers.json"), "utf8")) as Array<{ phone: string }>).map((c) => c.phone.replace(/[^+\d]/g, ""));
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

interface Caller {
  contactId: string;
  sessionAttributes: Record<string, string>;
}

export const voice: Benchmark = {
  name: "voice",
  needsStack: true,
  async run({ quick, log }) {
    const stack = JSON.parse(process.env.CENTLI_TEST_STACK ?? "{}") as { http: string; lex?: string; region?: string };
    if (!stack.lex) throw new Error("the stack serves no Lex V2 bot");
    const region = stack.region ?? "us-east-1";
    const lambda = new LambdaClient({ endpoint: stack.http, region, credentials });
    const lex = new LexRuntimeV2Client({ endpoint: stack.lex, region, credentials });
    const service = loadServiceConfig(join(__dirname, "..", "services", "voice", "serverless.yml"), { stage: "local" });
    const [bot] = botsOf(service.resources, service.functions, region) as [LocalBot];
    const locale = bot.locales[LOCALE];
    const hook = locale?.codeHook;
    if (!locale || !hook) throw new Error(`the voice bot has no code hook in ${LOCALE}`);
    // One client per seeded customer: every turn (either way) takes the per-customer read limit
    // (60 a minute), so the turns are spread over customers to stay under it, as the chat benchmark's are.
    const clients = quick ? 2 : PHONES.length;
    const turns = quick ? 10 : 100;
    const rounds = quick ? 1 : 4;

    const invoke = async (functionName: string, event: unknown): Promise<unknown> => {
      const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
      const text = Buffer.from(result.Payload ?? []).toString("utf8");
      if (result.FunctionError) throw new Error(`${functionName}: ${text}`);
      return JSON.parse(text) as unknown;
    };
    // Each client is a call of its own: Connect's contact id, the token authenticate-caller signed for it.
    const callers: Caller[] = [];
    for (let i = 0; i < clients; i++) {
      const contactId = randomUUID();
      const checked = (await invoke(service.functions.find((fn) => fn.name === "authenticate-caller")?.functionName ?? "", {
        Name: "ContactFlowEvent",
        Details: { ContactData: { ContactId: contactId, LanguageCode: "es-MX", CustomerEndpoint: { Address: PHONES[i] as string, Type: "TELEPHONE_NUMBER" }, Attributes: {} }, Parameters: { pin: "2468" } },
      })) as Record<string, string>;
      if (checked.result !== "verified") throw new Error(`authenticate-caller answered ${checked.result}`);
      callers.push({ contactId, sessionAttributes: { customer_token: checked.customer_token as string, locale: checked.locale as string, contact_id: contactId } });
    }

    const viaLex = async (caller: Caller, first: boolean): Promise<number> => {
      const started = performance.now();
      const answer = await lex.send(
        new RecognizeTextCommand({ botId: bot.botId, botAliasId: bot.botAliasId, localeId: LOCALE, sessionId: caller.contactId, text: BALANCE, ...(first ? { sessionState: { sessionAttributes: caller.sessionAttributes } } : {}) }),
      );
      const elapsed = performance.now() - started;
      if (!answer.messages?.[0]?.content?.includes("pesos")) throw new Error(`no balance through Lex: ${JSON.stringify(answer.messages)}`);
      return elapsed;
    };
    const matched = matchIntent(locale.intents, BALANCE);
    if (!matched) throw new Error("no intent for the balance question");
    const direct = async (caller: Caller): Promise<number> => {
      const event = codeHookEvent({
        bot,
        localeId: LOCALE,
        sessionId: caller.contactId,
        text: BALANCE,
        inputMode: "Text",
        intent: matched.intent,
        ...(matched.confidence === undefined ? {} : { confidence: matched.confidence }),
        invocationSource: matched.intent.dialogCodeHook ? "DialogCodeHook" : "FulfillmentCodeHook",
        sessionAttributes: caller.sessionAttributes,
        requestAttributes: {},
        requestId: randomUUID(),
        intents: locale.intents,
      });
      const started = performance.now();
      const answer = (await invoke(hook.functionName, event)) as LexV2Result;
      const elapsed = performance.now() - started;
      const first = answer.messages?.[0];
      if (!first || !("content" in first) || !first.content.includes("pesos")) throw new Error(`no balance from the code hook: ${JSON.stringify(answer.messages)}`);
      return elapsed;
    };

    try {
      // Warm-up, both ways; the first Lex turn of each contact hands the bot the flow's session attributes.
      await fromClients(clients, clients, async (_, c) => {
        await viaLex(callers[c] as Caller, true);
        await direct(callers[c] as Caller);
      });
      const lexTurns: number[] = [];
      const directTurns: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const per = Math.ceil(turns / rounds);
        await fromClients(clients, per, async (_, c) => {
          directTurns.push(await direct(callers[c] as Caller));
        });
        await fromClients(clients, per, async (_, c) => {
          lexTurns.push(await viaLex(callers[c] as Caller, false));
        });
        log(`round ${round + 1}/${rounds}: through Lex ${ms(spread(lexTurns).p50)} vs code hook directly ${ms(spread(directTurns).p50)} (p50)`);
      }
      const l = spread(lexTurns);
      const d = spread(directTurns);
      const note =
        `Both run the same code hook with the same event (bot, locale, session attributes, contact); through Lex adds the runtime's work: the RecognizeText request over HTTP/2, the session kept and merged, the event built, the hook's answer checked and the response written, ${ms(l.p50 - d.p50)} at p50 here. ` +
        `The baseline is the hook invoked directly, not the chat turn, because the chat's door is asynchronous (bus and WebSocket) and the voice door synchronous: that ratio would measure the doors, not Lex. This is the local runtime's cost; in AWS a turn's time is speech recognition and Connect's streaming, which are not here. ` +
        `${l.n} turns and ${d.n} direct invocations from ${clients} clients (one seeded customer and contact each, verified with the seeded PIN; a customer's turns stay under the 60 reads a minute every door shares), ${rounds} interleaved rounds after a warm-up.`;
      const figures: Figure[] = [
        {
          section: SECTION,
          name: `voice balance turn through the local Lex V2 runtime, p50, ${clients} clients ("${BALANCE}" → RecognizeText → bot-code-hook)`,
          value: l.p50,
          unit: "ms",
          baseline: { name: "the code hook invoked directly with the same event, p50", value: d.p50 },
          ratio: l.p50 / d.p50,
          note,
        },
        {
          section: SECTION,
          name: `voice balance turn through the local Lex V2 runtime, p99, ${clients} clients`,
          value: l.p99,
          unit: "ms",
          baseline: { name: "the code hook invoked directly, p99", value: d.p99 },
          ratio: l.p99 / d.p99,
        },
      ];
      return figures;
    } finally {
      lambda.destroy();
      lex.destroy();
    }
  },
};
