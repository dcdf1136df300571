/**
 * The Amazon Lex V2 runtime's `RecognizeText` for the bots the services declare, so
 * `@aws-sdk/client-lex-runtime-v2` talks to the local stack unmodified through its endpoint
 * setting (`AWS_ENDPOINT_URL_LEX_RUNTIME_V2`):
 *
 *   POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text
 *
 * The bot is read from the same CloudFormation resources that deploy it: an `AWS::Lex::Bot`
 * (its locales, their intents, `IdleSessionTTLInSeconds`) and the `AWS::Lex::BotAlias` that names
 * it, whose `BotAliasLocaleSettings` give each locale's code hook (`LambdaArn`, the `Fn::GetAtt`
 * of a function of the same service). Each session keeps its state (session attributes, the
 * intent, the last dialog action) per session id, as Lex does, until it is idle for the bot's TTL.
 *
 * Natural-language understanding is not reproduced: an input that is one of an intent's sample
 * utterances (case, accents and punctuation aside) goes to that intent, anything else to the
 * locale's `AMAZON.FallbackIntent`; the code hook decides what to say. Lex calls the code hook for
 * a dialog step when the intent's `DialogCodeHook` is enabled and for fulfillment when its
 * `FulfillmentCodeHook` is; the event is the documented Lex V2 code hook input (`LexV2Event`) and
 * the hook's answer becomes the `RecognizeTextResponse`, refused as Lex refuses an invalid one
 * (`DependencyFailedException`, 424).
 *
 * RecognizeText takes text, which Lex reports as `inputMode: 'Text'`. A telephone's keypad reaches
 * Lex through Amazon Connect's streaming conversation as a DTMF event instead, which RecognizeText
 * has no field for: the local Connect (local/connect.ts) marks keypad input with the request
 * attribute {@link LOCAL_INPUT_MODE_ATTRIBUTE}, which this runtime takes off the request and turns
 * into `inputMode: 'DTMF'`. Nothing else of a request reaches the code hook but what Lex passes.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import type { LexV2Event, LexV2Intent, LexV2Interpretation, LexV2Message, LexV2Result } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import { AwsError, readBody, requireAwsStyle, sendJson, type LocalHttpServer } from './http';
import type { LambdaFunction } from './lambda';
import type { CloudFormationResource } from './serverless-config';

const RECOGNIZE_TEXT_PATH = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/text$/;

/**
 * The request attribute by which the local Connect says an input came from the keypad (see the
 * module description). Local only: AWS's RecognizeText would pass it to the code hook as it is.
 */
export const LOCAL_INPUT_MODE_ATTRIBUTE = 'x-centli-local:input-mode';

/** Lex V2's limit on RecognizeText's `text`. */
const MAX_TEXT_CHARS = 1024;
/** Lex V2's limit on one message's content. */
const MAX_MESSAGE_CHARS = 1000;

/** One intent of a locale, as the bot resource declares it. */
export interface LocalIntent {
  name: string;
  /** `AMAZON.FallbackIntent` for the fallback intent. */
  parent?: string;
  utterances: string[];
  dialogCodeHook: boolean;
  fulfillmentCodeHook: boolean;
}

/** A bot alias the runtime serves, with its bot. */
export interface LocalBot {
  botId: string;
  botName: string;
  botAliasId: string;
  botAliasName: string;
  /** `arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>`: what a contact flow names. */
  aliasArn: string;
  /** The alias resource's logical id (`Fn::GetAtt [<id>, Arn]` in a template resolves to `aliasArn`). */
  aliasLogicalId: string;
  /** The bot version the alias serves: `DRAFT`, or `1` for a numbered version (`AWS::Lex::BotVersion`). */
  version: string;
  idleSessionTtlSeconds: number;
  locales: Record<string, { intents: LocalIntent[]; codeHook?: LambdaFunction }>;
}

/** What the stack writes to its state file about a bot, for clients (`npm run call`). */
export interface LocalBotInfo {
  botId: string;
  botName: string;
  botAliasId: string;
  botAliasName: string;
  aliasArn: string;
  /** The alias's logical id in its template. */
  aliasLogicalId: string;
  locales: string[];
}

/** The CloudFormation logical id serverless gives a function's resource: `bot-code-hook` → `BotDashcodeDashhookLambdaFunction`. */
export function functionLogicalId(name: string): string {
  const normalized = name.replaceAll('-', 'Dash').replaceAll('_', 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/** A Lex-shaped id (ten upper-case letters and digits) derived from a name, so it is the same every time the stack starts. */
export function localLexId(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\0')).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join('');
}

const refOf = (value: unknown): string | undefined => {
  const ref = (value as { Ref?: unknown } | null | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
};
const getAttOf = (value: unknown): [string, string] | undefined => {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string' ? [getAtt[0], getAtt[1]] : undefined;
};

/**
 * The bot aliases among one service's resources, each with its bot and each locale's code hook
 * (a function of `functions`, the service's own). A code hook the service does not declare (yet) is
 * reported through `warn` and left out: that locale then answers as Lex does when its Lambda
 * function cannot be invoked.
 *
 * @throws Error when an alias names no bot of the service.
 */
export function botsOf(
  resources: Readonly<Record<string, CloudFormationResource>>,
  functions: readonly (LambdaFunction & { name: string })[],
  region: string,
  warn: (message: string) => void = () => {},
): LocalBot[] {
  const byLogicalId = new Map(functions.map((fn) => [functionLogicalId(fn.name), fn]));
  return Object.entries(resources)
    .filter(([, resource]) => resource?.Type === 'AWS::Lex::BotAlias')
    .map(([aliasLogicalId, alias]) => {
      const botLogicalId = refOf(alias.Properties?.BotId);
      const bot = botLogicalId ? resources[botLogicalId] : undefined;
      if (!botLogicalId || bot?.Type !== 'AWS::Lex::Bot') throw new Error(`${aliasLogicalId}: BotId must be the Ref of an AWS::Lex::Bot of the same service`);
      const botName = String(bot.Properties?.Name ?? botLogicalId);
      const botAliasName = String(alias.Properties?.BotAliasName ?? aliasLogicalId);
      const botId = localLexId(botName);
      const botAliasId = localLexId(botName, botAliasName);
      const hooks = new Map<string, LambdaFunction>();
      for (const setting of (alias.Properties?.BotAliasLocaleSettings as Array<Record<string, unknown>> | undefined) ?? []) {
        const localeSetting = setting.BotAliasLocaleSetting as { Enabled?: unknown; CodeHookSpecification?: { LambdaCodeHook?: { LambdaArn?: unknown } } } | undefined;
        if (localeSetting?.Enabled === false) continue;
        const lambdaArn = localeSetting?.CodeHookSpecification?.LambdaCodeHook?.LambdaArn;
        if (lambdaArn === undefined) continue;
        const target = getAttOf(lambdaArn);
        const fn = target && target[1] === 'Arn' ? byLogicalId.get(target[0]) : undefined;
        if (fn) hooks.set(String(setting.LocaleId), fn);
        else warn(`${aliasLogicalId}: the code hook of ${String(setting.LocaleId)}, ${JSON.stringify(lambdaArn)}, is no function of the service; that locale has no code hook`);
      }
      const locales: LocalBot['locales'] = {};
      for (const locale of (bot.Properties?.BotLocales as Array<Record<string, unknown>> | undefined) ?? []) {
        const localeId = String(locale.LocaleId);
        const intents = ((locale.Intents as Array<Record<string, unknown>> | undefined) ?? []).map(
          (intent): LocalIntent => ({
            name: String(intent.Name),
            ...(typeof intent.ParentIntentSignature === 'string' ? { parent: intent.ParentIntentSignature } : {}),
            utterances: ((intent.SampleUtterances as Array<{ Utterance?: unknown }> | undefined) ?? []).map((sample) => String(sample.Utterance ?? '')),
            dialogCodeHook: (intent.DialogCodeHook as { Enabled?: unknown } | undefined)?.Enabled === true,
            fulfillmentCodeHook: (intent.FulfillmentCodeHook as { Enabled?: unknown } | undefined)?.Enabled === true,
          }),
        );
        const codeHook = hooks.get(localeId);
        locales[localeId] = { intents, ...(codeHook ? { codeHook } : {}) };
      }
      return {
        botId,
        botName,
        botAliasId,
        botAliasName,
        aliasArn: `arn:aws:lex:${region}:${LOCAL_ACCOUNT_ID}:bot-alias/${botId}/${botAliasId}`,
        aliasLogicalId,
        version: alias.Properties?.BotVersion === 'DRAFT' || alias.Properties?.BotVersion === undefined ? 'DRAFT' : '1',
        idleSessionTtlSeconds: Number(bot.Properties?.IdleSessionTTLInSeconds ?? 300),
        locales,
      };
    });
}

/** Lower case, without accents, punctuation or repeated spaces: how the local NLU compares an input with a sample utterance. */
export function normalizeUtterance(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The intent an input goes to (see the module description). */
export function matchIntent(intents: readonly LocalIntent[], text: string): { intent: LocalIntent; confidence?: number } | undefined {
  const said = normalizeUtterance(text);
  const custom = intents.find((intent) => intent.parent === undefined && intent.utterances.some((utterance) => normalizeUtterance(utterance) === said));
  if (custom) return { intent: custom, confidence: 1 };
  const fallback = intents.find((intent) => intent.parent === 'AMAZON.FallbackIntent');
  return fallback ? { intent: fallback } : undefined;
}

const YES = new Set(['si', 'yes', 'claro', 'correcto', 'confirmo', 'ok', 'okay', '1']);
const NO = new Set(['no', 'cancela', 'cancel', '2']);

/** How Lex's built-in confirmation reads an answer to ConfirmIntent (a small list: the hook reads `inputTranscript` itself too). */
export function confirmationOf(text: string): LexV2Intent['confirmationState'] {
  const said = normalizeUtterance(text);
  return YES.has(said) ? 'Confirmed' : NO.has(said) ? 'Denied' : 'None';
}

/** The state Lex keeps for one session. */
export interface LexSession {
  sessionAttributes: Record<string, string>;
  intent?: LexV2Intent;
  dialogAction?: LexV2Event['sessionState']['dialogAction'];
  /** Epoch ms of the last request. */
  lastSeen: number;
}

/** What {@link codeHookEvent} needs to know about one turn. */
export interface CodeHookTurn {
  bot: LocalBot;
  localeId: string;
  sessionId: string;
  text: string;
  inputMode: LexV2Event['inputMode'];
  intent: LocalIntent;
  confidence?: number;
  /** The caller's answer to a `ConfirmIntent` the hook asked the turn before; `None` otherwise. */
  confirmationState?: LexV2Intent['confirmationState'];
  invocationSource: LexV2Event['invocationSource'];
  sessionAttributes: Record<string, string>;
  requestAttributes: Record<string, string>;
  /** The request's id, which Lex reports as `originatingRequestId`. */
  requestId: string;
  /** The intents of the locale: each is an interpretation, as Lex lists them. */
  intents: readonly LocalIntent[];
}

/** What Lex V2 sends the code hook, in the documented shape (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html). */
export type CodeHookEvent = Omit<LexV2Event, 'proposedNextState' | 'transcriptions'> & Partial<Pick<LexV2Event, 'proposedNextState'>>;

/** Builds the code hook's input for one turn. */
export function codeHookEvent(turn: CodeHookTurn): CodeHookEvent {
  const intentOf = (intent: LocalIntent): LexV2Intent => ({
    name: intent.name,
    slots: {},
    state: turn.invocationSource === 'FulfillmentCodeHook' && intent === turn.intent ? 'ReadyForFulfillment' : 'InProgress',
    confirmationState: intent === turn.intent ? (turn.confirmationState ?? 'None') : 'None',
  });
  const interpretations: LexV2Interpretation[] = [
    { intent: intentOf(turn.intent), ...(turn.confidence === undefined ? {} : { nluConfidence: turn.confidence }) },
    ...turn.intents.filter((intent) => intent !== turn.intent).map((intent) => ({ intent: intentOf(intent) })),
  ];
  return {
    messageVersion: '1.0',
    invocationSource: turn.invocationSource,
    inputMode: turn.inputMode,
    responseContentType: 'text/plain; charset=utf-8',
    sessionId: turn.sessionId,
    inputTranscript: turn.text,
    bot: { id: turn.bot.botId, name: turn.bot.botName, aliasId: turn.bot.botAliasId, aliasName: turn.bot.botAliasName, localeId: turn.localeId, version: turn.bot.version },
    interpretations,
    requestAttributes: turn.requestAttributes,
    sessionState: {
      sessionAttributes: turn.sessionAttributes,
      activeContexts: [],
      intent: intentOf(turn.intent),
      originatingRequestId: turn.requestId,
    },
  };
}

const DIALOG_ACTIONS = new Set(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']);
const CONTENT_TYPES = new Set(['PlainText', 'SSML', 'CustomPayload', 'ImageResponseCard']);

/**
 * The code hook's answer, checked as Lex checks it.
 *
 * @throws AwsError DependencyFailedException (424), Lex's answer to an invalid Lambda response.
 */
export function checkCodeHookResult(result: unknown): LexV2Result {
  const invalid = (why: string) => new AwsError('DependencyFailedException', `Invalid Lambda Response: ${why}`, 424);
  const answer = result as Partial<LexV2Result> | null;
  if (answer === null || typeof answer !== 'object') throw invalid('the response is not an object');
  const type = (answer.sessionState?.dialogAction as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || !DIALOG_ACTIONS.has(type)) throw invalid(`sessionState.dialogAction.type must be one of ${[...DIALOG_ACTIONS].join(', ')}`);
  if (type === 'Delegate' || type === 'ElicitSlot') {
    // Lex would go on with the intent's own slots and prompts; the bots here have none, so a hook
    // that asks for them has no counterpart in AWS either.
    throw invalid(`${type} needs the intent's own slots or prompts, and the bot's intents declare none`);
  }
  const attributes = answer.sessionState?.sessionAttributes;
  if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || Object.values(attributes).some((value) => typeof value !== 'string'))) {
    throw invalid('sessionState.sessionAttributes must map strings to strings');
  }
  for (const message of answer.messages ?? []) {
    if (!CONTENT_TYPES.has(message.contentType)) throw invalid(`a message's contentType must be one of ${[...CONTENT_TYPES].join(', ')}`);
    if (message.contentType !== 'ImageResponseCard' && (typeof message.content !== 'string' || message.content.length === 0 || message.content.length > MAX_MESSAGE_CHARS)) {
      throw invalid(`a message's content must be 1 to ${MAX_MESSAGE_CHARS} characters`);
    }
  }
  return answer as LexV2Result;
}

export interface LexRuntimeOptions {
  bots: readonly LocalBot[];
  /** Invokes a function as Lambda would (the stack's own invoke, with its fault injection). */
  invoke: (fn: LambdaFunction, event: unknown) => Promise<unknown>;
  log?: (message: string) => void;
  now?: () => number;
}

/** Serves RecognizeText (see the module description); returns what the state file says about each bot. */
export function mountLexRuntime(server: LocalHttpServer, options: LexRuntimeOptions): LocalBotInfo[] {
  const now = options.now ?? Date.now;
  const bots = new Map(options.bots.map((bot) => [`${bot.botId}/${bot.botAliasId}`, bot]));
  const sessions = new Map<string, LexSession>();
  server.route(async (request, response, url) => {
    const match = RECOGNIZE_TEXT_PATH.exec(url.pathname);
    if (!match || request.method !== 'POST') return false;
    requireAwsStyle(request);
    const [botId, botAliasId, localeId, sessionId] = match.slice(1, 5).map((part) => decodeURIComponent(part as string)) as [string, string, string, string];
    const bot = bots.get(`${botId}/${botAliasId}`);
    if (!bot) throw new AwsError('ResourceNotFoundException', `Failed to retrieve resource since it does not exist: bot ${botId}, alias ${botAliasId}`, 404);
    const locale = bot.locales[localeId];
    if (!locale) throw new AwsError('ResourceNotFoundException', `The locale ${localeId} is not enabled for the alias ${botAliasId}`, 404);
    if (!/^[0-9a-zA-Z._:-]{2,100}$/.test(sessionId)) throw new AwsError('ValidationException', '1 validation error detected: Value at \'sessionId\' failed to satisfy constraint', 400);
    let body: { text?: unknown; sessionState?: { sessionAttributes?: Record<string, string> }; requestAttributes?: Record<string, string> };
    try {
      body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as typeof body;
    } catch {
      throw new AwsError('ValidationException', 'the request body is not valid JSON');
    }
    const text = body.text;
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_CHARS) throw new AwsError('ValidationException', `text must be 1 to ${MAX_TEXT_CHARS} characters`);

    const key = `${botId}/${botAliasId}/${localeId}/${sessionId}`;
    const at = now();
    let session = sessions.get(key);
    if (session && at - session.lastSeen > bot.idleSessionTtlSeconds * 1000) session = undefined;
    session ??= { sessionAttributes: {}, lastSeen: at };
    session.lastSeen = at;
    sessions.set(key, session);
    // A session state in the request replaces the stored one's attributes, as RecognizeText does.
    if (body.sessionState?.sessionAttributes) session.sessionAttributes = { ...body.sessionState.sessionAttributes };
    const { [LOCAL_INPUT_MODE_ATTRIBUTE]: inputModeAttribute, ...requestAttributes } = body.requestAttributes ?? {};
    const inputMode: LexV2Event['inputMode'] = inputModeAttribute === 'DTMF' ? 'DTMF' : 'Text';

    // After a ConfirmIntent, Lex takes the next input as the answer to it, for the same intent.
    const confirming = session.dialogAction?.type === 'ConfirmIntent' ? locale.intents.find((intent) => intent.name === session?.intent?.name) : undefined;
    const matched = confirming ? { intent: confirming } : matchIntent(locale.intents, text);
    const confirmationState = confirming ? confirmationOf(text) : 'None';
    if (!matched) throw new AwsError('BadGatewayException', `the locale ${localeId} has no intent for this input and no AMAZON.FallbackIntent`, 502);
    const requestId = randomUUID();
    const hookSource: LexV2Event['invocationSource'] | undefined = matched.intent.dialogCodeHook ? 'DialogCodeHook' : matched.intent.fulfillmentCodeHook ? 'FulfillmentCodeHook' : undefined;
    if (hookSource && !locale.codeHook) throw new AwsError('DependencyFailedException', `Invalid Bot Configuration: No Lambda function is configured for the alias ${botAliasId} in ${localeId}`, 424);
    let result: LexV2Result;
    if (hookSource && locale.codeHook) {
      const event = codeHookEvent({
        bot,
        localeId,
        sessionId,
        text,
        inputMode,
        intent: matched.intent,
        ...(matched.confidence === undefined ? {} : { confidence: matched.confidence }),
        confirmationState,
        invocationSource: hookSource,
        sessionAttributes: { ...session.sessionAttributes },
        requestAttributes,
        requestId,
        intents: locale.intents,
      });
      let answer: unknown;
      try {
        answer = await options.invoke(locale.codeHook, event);
      } catch (error) {
        options.log?.(`${bot.botName} ${localeId}: the code hook ${locale.codeHook.functionName} failed: ${(error as Error).message}`);
        throw new AwsError('DependencyFailedException', `Invalid Lambda Response: Received error response from Lambda: Unhandled`, 424);
      }
      result = checkCodeHookResult(answer);
    } else {
      // Without a code hook Lex closes the intent with nothing to say: the bot declares no responses of its own.
      result = { sessionState: { dialogAction: { type: 'Close' }, intent: { name: matched.intent.name, state: 'Fulfilled' } } };
    }
    session.sessionAttributes = { ...(result.sessionState.sessionAttributes ?? session.sessionAttributes) };
    const intent: LexV2Intent = {
      name: result.sessionState.intent?.name ?? matched.intent.name,
      slots: result.sessionState.intent?.slots ?? {},
      state: result.sessionState.intent?.state ?? (result.sessionState.dialogAction.type === 'Close' ? 'Fulfilled' : 'InProgress'),
      confirmationState,
    };
    session.intent = intent;
    session.dialogAction = result.sessionState.dialogAction as LexV2Event['sessionState']['dialogAction'];
    const messages: LexV2Message[] = result.messages ?? [];
    sendJson(response, 200, {
      messages,
      sessionState: { dialogAction: result.sessionState.dialogAction, intent, sessionAttributes: session.sessionAttributes, originatingRequestId: requestId },
      interpretations: [{ intent, ...(matched.confidence === undefined ? {} : { nluConfidence: { score: matched.confidence } }) }],
      requestAttributes,
      sessionId,
    });
    return true;
  });
  return options.bots.map((bot) => ({ botId: bot.botId, botName: bot.botName, botAliasId: bot.botAliasId, botAliasName: bot.botAliasName, aliasArn: bot.aliasArn, aliasLogicalId: bot.aliasLogicalId, locales: Object.keys(bot.locales) }));
}
