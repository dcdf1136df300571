/**
 * Amazon Connect's part of a telephone call, on this machine: it walks the contact flow JSON that
 * deploys (services/voice/contact-flows/centli-inbound.json, in the Flow language) block by block,
 * so what runs locally is what Connect runs. The caller is a {@link Telephone} (what they say or
 * type on the keypad; what they hear); the AWS parts are {@link ConnectParts}: a Lambda function
 * invoked with Connect's `ContactFlowEvent` (through the stack's Lambda API) and the Lex V2 bot
 * (through the stack's Lex runtime, `RecognizeText`).
 *
 * The blocks the flow uses are interpreted as Connect documents them:
 * - `MessageParticipant`: plays `Text` or `SSML` (the caller hears the SSML as plain text).
 * - `Loop`: `ContinueLooping` `LoopCount` times, then `DoneLooping` (and counts again from zero).
 * - `UpdateFlowLoggingBehavior`: turns the flow log on or off; while on, each block is logged with
 *   its parameters resolved, as Connect's flow logs record them.
 * - `GetParticipantInput` with `StoreInput`: plays the prompt and stores the keypad digits (up to
 *   `MaximumLength`, ending at the termination key) as `$.StoredCustomerInput`; a caller who types
 *   nothing (who speaks instead) is stored as `Timeout`.
 * - `Compare`: the first `Equals` condition matching `ComparisonValue`, else `NoMatchingCondition`.
 * - `InvokeLambdaFunction`: the function gets Connect's ContactFlowEvent with the block's
 *   `LambdaInvocationAttributes` as `Parameters`; a flat map of strings becomes `$.External`; a
 *   failure or another shape takes `NoMatchingError`.
 * - `UpdateContactAttributes`: sets contact attributes (`$.Attributes`).
 * - `ConnectParticipantWithLexBot`: plays the prompt, then hands each thing the caller says or
 *   types to the bot (session id: the contact id; locale: the contact's language; the first turn
 *   carries `LexSessionAttributes`) and plays what the bot answers, until the bot says `Close`.
 * - `DisconnectParticipant`: hangs up.
 *
 * Any other block type stops the walk with an error naming it, rather than running something that
 * is not Connect's behaviour.
 *
 * @module
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { RecognizeTextCommand, type LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import { functionLogicalId, LOCAL_INPUT_MODE_ATTRIBUTE, type LocalBotInfo } from './lex-runtime';
import type { CloudFormationResource, ServiceConfig } from './serverless-config';

/** One block of a flow, as the Flow language writes it. */
export interface FlowAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Conditions?: Array<{ NextAction: string; Condition: { Operator: string; Operands: string[] } }>;
    Errors?: Array<{ NextAction: string; ErrorType: string }>;
  };
}

export interface ContactFlow {
  Version: string;
  StartAction: string;
  Actions: FlowAction[];
}

/** What the caller does next: speak, type on the keypad, or hang up (`undefined`). */
export type CallerInput = { speech: string } | { dtmf: string };

/** The caller's side of the line. */
export interface Telephone {
  /** What Centli says, as plain text (one message). */
  hear(text: string): void | Promise<void>;
  /** The caller's next input; `undefined` when they hang up. */
  listen(): Promise<CallerInput | undefined>;
}

/** What the bot answers one turn. */
export interface BotTurn {
  messages: Array<{ contentType?: string; content?: string }>;
  dialogAction?: string;
}

/** The AWS parts a flow calls. */
export interface ConnectParts {
  /** Invokes a Lambda function synchronously with Connect's event; answers what it returned. */
  invokeFunction(functionArn: string, event: ContactFlowEvent): Promise<unknown>;
  /** One turn with a Lex V2 bot alias. */
  recognizeText(turn: { aliasArn: string; localeId: string; sessionId: string; text: string; dtmf: boolean; sessionAttributes?: Record<string, string> }): Promise<BotTurn>;
}

/** The ContactFlowEvent Connect sends a Lambda function (https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html). */
export interface ContactFlowEvent {
  Name: 'ContactFlowEvent';
  Details: {
    ContactData: {
      Attributes: Record<string, string>;
      Channel: 'VOICE';
      ContactId: string;
      InitialContactId: string;
      InitiationMethod: 'INBOUND';
      InstanceARN: string;
      LanguageCode: string;
      PreviousContactId: string;
      CustomerEndpoint: { Address: string; Type: 'TELEPHONE_NUMBER' } | null;
      SystemEndpoint: { Address: string; Type: 'TELEPHONE_NUMBER' };
      Queue: null;
    };
    Parameters: Record<string, string>;
  };
}

/** One entry of the flow log, as Connect writes it while logging is on. */
export interface FlowLogEntry {
  ContactId: string;
  ContactFlowModuleType: string;
  Identifier: string;
  Parameters: Record<string, unknown>;
  Timestamp: string;
}

export interface CallOptions {
  contactId: string;
  /** The caller id Connect received (`CustomerEndpoint`), or undefined when withheld. */
  callerNumber: string | undefined;
  /** The number the caller dialled. */
  systemNumber: string;
  /** The contact's language (`en-US`, `es-MX`): what Connect speaks and which locale it asks the bot for. */
  languageCode: string;
  instanceArn: string;
  telephone: Telephone;
  parts: ConnectParts;
  /** Receives the flow log while logging is on. */
  flowLog?: (entry: FlowLogEntry) => void;
  /** At most this many blocks in one call: a flow that loops forever is a bug, not a long call. */
  maxSteps?: number;
}

/** How a call ended. */
export interface CallOutcome {
  /** `disconnected`: the flow hung up; `caller-hung-up`: the caller's input ended first. */
  ended: 'disconnected' | 'caller-hung-up';
  /** The identifiers of the blocks walked, in order. */
  path: string[];
  /** The contact attributes at the end. */
  attributes: Record<string, string>;
}

/** The flow's text with its `${Name}`s replaced, as CloudFormation's Fn::Sub does when the flow deploys. */
export function substitute(text: string, substitutions: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`the flow names \${${name}}, which the template does not substitute`);
    return value;
  });
}

/** Parses a flow's JSON after substitution. */
export function parseContactFlow(text: string, substitutions: Readonly<Record<string, string>>): ContactFlow {
  const flow = JSON.parse(substitute(text, substitutions)) as ContactFlow;
  if (flow.Version !== '2019-10-30' || typeof flow.StartAction !== 'string' || !Array.isArray(flow.Actions)) throw new Error('not a contact flow in the Flow language (Version 2019-10-30)');
  return flow;
}

/** What a caller hears of SSML: the words, without the markup. */
export function ssmlToText(ssml: string): string {
  return ssml
    .replace(/<break\b[^>]*\/>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The Lex V2 locale Connect asks the bot for, from the contact's language: `en-US` → `en_US`; Spanish → `es_419`. */
export function lexLocaleOf(languageCode: string): string {
  return languageCode.toLowerCase().startsWith('en') ? 'en_US' : 'es_419';
}

/** Walks the flow for one call (see the module description). */
export async function walkContactFlow(flow: ContactFlow, options: CallOptions): Promise<CallOutcome> {
  const actions = new Map(flow.Actions.map((action) => [action.Identifier, action]));
  const attributes: Record<string, string> = {};
  let external: Record<string, string> = {};
  let stored: string | undefined;
  const loops = new Map<string, number>();
  let logging = true;
  const path: string[] = [];
  const maxSteps = options.maxSteps ?? 1000;

  const resolve = (value: unknown): string => {
    if (typeof value !== 'string' || !value.startsWith('$.')) return String(value ?? '');
    const [root, ...rest] = value.slice(2).split('.');
    const key = rest.join('.');
    if (root === 'StoredCustomerInput') return stored ?? '';
    if (root === 'ContactId' || root === 'InitialContactId') return options.contactId;
    if (root === 'LanguageCode') return options.languageCode;
    if (root === 'External') return external[key] ?? '';
    if (root === 'Attributes') return attributes[key] ?? '';
    if (root === 'CustomerEndpoint' && key === 'Address') return options.callerNumber ?? '';
    throw new Error(`the flow reads ${value}, which the local Connect does not know`);
  };
  const resolveMap = (map: unknown): Record<string, string> => Object.fromEntries(Object.entries((map ?? {}) as Record<string, unknown>).map(([name, value]) => [name, resolve(value)]));
  const say = async (parameters: Record<string, unknown>) => {
    const text = typeof parameters.SSML === 'string' ? ssmlToText(resolve(parameters.SSML)) : typeof parameters.Text === 'string' ? resolve(parameters.Text) : '';
    if (text !== '') await options.telephone.hear(text);
  };
  const errorOf = (action: FlowAction, type: string): string => {
    const next = action.Transitions.Errors?.find((error) => error.ErrorType === type)?.NextAction ?? action.Transitions.Errors?.find((error) => error.ErrorType === 'NoMatchingError')?.NextAction;
    if (!next) throw new Error(`${action.Identifier}: ${type}, and the block has no error branch for it`);
    return next;
  };
  const conditionOf = (action: FlowAction, value: string): string | undefined =>
    action.Transitions.Conditions?.find((condition) => condition.Condition.Operator === 'Equals' && condition.Condition.Operands.includes(value))?.NextAction;
  const nextOf = (action: FlowAction): string => {
    if (!action.Transitions.NextAction) throw new Error(`${action.Identifier}: no NextAction`);
    return action.Transitions.NextAction;
  };
  const contactData = (): ContactFlowEvent['Details']['ContactData'] => ({
    Attributes: { ...attributes },
    Channel: 'VOICE',
    ContactId: options.contactId,
    InitialContactId: options.contactId,
    InitiationMethod: 'INBOUND',
    InstanceARN: options.instanceArn,
    LanguageCode: options.languageCode,
    PreviousContactId: options.contactId,
    CustomerEndpoint: options.callerNumber === undefined ? null : { Address: options.callerNumber, Type: 'TELEPHONE_NUMBER' },
    SystemEndpoint: { Address: options.systemNumber, Type: 'TELEPHONE_NUMBER' },
    Queue: null,
  });

  let current: string | undefined = flow.StartAction;
  while (current !== undefined) {
    if (path.length >= maxSteps) throw new Error(`the flow walked ${maxSteps} blocks without ending the call`);
    const action = actions.get(current);
    if (!action) throw new Error(`the flow moves to ${current}, which is no block of it`);
    path.push(action.Identifier);
    // Connect logs a block with its parameters resolved: what a flow log would hold at this point.
    if (logging && options.flowLog) {
      const resolved = Object.fromEntries(Object.entries(action.Parameters).map(([name, value]) => [name, typeof value === 'string' ? resolve(value) : value && typeof value === 'object' && !Array.isArray(value) ? resolveDeep(value as Record<string, unknown>, resolve) : value]));
      options.flowLog({ ContactId: options.contactId, ContactFlowModuleType: action.Type, Identifier: action.Identifier, Parameters: resolved, Timestamp: new Date().toISOString() });
    }
    const parameters = action.Parameters;
    switch (action.Type) {
      case 'MessageParticipant':
        await say(parameters);
        current = nextOf(action);
        break;
      case 'Loop': {
        const count = Number(parameters.LoopCount);
        const done = loops.get(action.Identifier) ?? 0;
        if (done < count) {
          loops.set(action.Identifier, done + 1);
          current = conditionOf(action, 'ContinueLooping') ?? nextOf(action);
        } else {
          loops.delete(action.Identifier);
          current = conditionOf(action, 'DoneLooping') ?? nextOf(action);
        }
        break;
      }
      case 'UpdateFlowLoggingBehavior':
        logging = parameters.FlowLoggingBehavior === 'Enabled';
        current = nextOf(action);
        break;
      case 'GetParticipantInput': {
        if (parameters.StoreInput !== 'True') throw new Error(`${action.Identifier}: GetParticipantInput without StoreInput is not run by the local Connect`);
        await say(parameters);
        const input = await options.telephone.listen();
        if (input === undefined) return { ended: 'caller-hung-up', path, attributes };
        const max = Number((parameters.InputValidation as { CustomValidation?: { MaximumLength?: string } } | undefined)?.CustomValidation?.MaximumLength ?? 20);
        const terminator = String((parameters.DTMFConfiguration as { InputTerminationSequence?: string } | undefined)?.InputTerminationSequence ?? '#');
        const digits = 'dtmf' in input ? (input.dtmf.split(terminator)[0] ?? '').slice(0, max) : '';
        stored = digits === '' ? 'Timeout' : digits;
        current = nextOf(action);
        break;
      }
      case 'Compare': {
        const value = resolve(parameters.ComparisonValue);
        current = conditionOf(action, value) ?? errorOf(action, 'NoMatchingCondition');
        break;
      }
      case 'InvokeLambdaFunction': {
        const event: ContactFlowEvent = { Name: 'ContactFlowEvent', Details: { ContactData: contactData(), Parameters: resolveMap(parameters.LambdaInvocationAttributes) } };
        let answer: unknown;
        try {
          answer = await options.parts.invokeFunction(String(parameters.LambdaFunctionARN), event);
        } catch {
          current = errorOf(action, 'NoMatchingError');
          break;
        }
        // STRING_MAP: a flat map of strings, or the block fails.
        if (answer === null || typeof answer !== 'object' || Array.isArray(answer) || Object.values(answer).some((value) => typeof value !== 'string')) {
          current = errorOf(action, 'NoMatchingError');
          break;
        }
        external = { ...(answer as Record<string, string>) };
        current = nextOf(action);
        break;
      }
      case 'UpdateContactAttributes':
        Object.assign(attributes, resolveMap(parameters.Attributes));
        current = nextOf(action);
        break;
      case 'ConnectParticipantWithLexBot': {
        const aliasArn = String((parameters.LexV2Bot as { AliasArn?: unknown } | undefined)?.AliasArn ?? '');
        const sessionAttributes = resolveMap(parameters.LexSessionAttributes);
        await say(parameters);
        let first = true;
        let next: string | undefined;
        while (next === undefined) {
          const input = await options.telephone.listen();
          if (input === undefined) return { ended: 'caller-hung-up', path, attributes };
          const text = 'dtmf' in input ? input.dtmf : input.speech;
          if (text.trim() === '') continue;
          let turn: BotTurn;
          try {
            turn = await options.parts.recognizeText({ aliasArn, localeId: lexLocaleOf(options.languageCode), sessionId: options.contactId, text, dtmf: 'dtmf' in input, ...(first ? { sessionAttributes } : {}) });
          } catch {
            next = errorOf(action, 'NoMatchingError');
            break;
          }
          first = false;
          for (const message of turn.messages) {
            const content = message.contentType === 'SSML' ? ssmlToText(message.content ?? '') : (message.content ?? '');
            if (content !== '') await options.telephone.hear(content);
          }
          if (turn.dialogAction === 'Close') next = nextOf(action);
        }
        current = next;
        break;
      }
      case 'DisconnectParticipant':
        return { ended: 'disconnected', path, attributes };
      default:
        throw new Error(`${action.Identifier}: the local Connect does not run ${action.Type} blocks`);
    }
  }
  return { ended: 'disconnected', path, attributes };
}

/**
 * The values the template's Fn::Sub gives the flow's `${Name}`s, resolved for the local stack: a
 * function's `Arn` is its local ARN, a bot alias's `Arn` the alias the stack's Lex runtime serves.
 *
 * @throws Error for a variable that is neither.
 */
export function flowSubstitutions(service: Pick<ServiceConfig, 'functions' | 'resources'>, flowLogicalId: string, bots: readonly Pick<LocalBotInfo, 'aliasArn' | 'aliasLogicalId'>[], region: string): Record<string, string> {
  const content = (service.resources[flowLogicalId] as CloudFormationResource | undefined)?.Properties?.Content as { 'Fn::Sub'?: [unknown, Record<string, unknown>] } | undefined;
  const variables = content?.['Fn::Sub']?.[1];
  if (!variables) throw new Error(`${flowLogicalId} has no Content of the form Fn::Sub [flow, variables]`);
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      const [logicalId, attribute] = ((value as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'] ?? []) as [string?, string?];
      const fn = service.functions.find((candidate) => functionLogicalId(candidate.name) === logicalId);
      if (fn && attribute === 'Arn') return [name, `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`];
      const alias = service.resources[logicalId ?? ''];
      if (alias?.Type === 'AWS::Lex::BotAlias' && attribute === 'Arn') {
        const bot = bots.find((candidate) => candidate.aliasLogicalId === logicalId);
        if (bot) return [name, bot.aliasArn];
      }
      throw new Error(`the flow's \${${name}} is ${JSON.stringify(value)}, which the local stack cannot resolve`);
    }),
  );
}

/** The AWS parts of a call through real SDK clients: the Lambda Invoke API and Lex V2's RecognizeText. */
export function sdkParts(clients: { lambda: LambdaClient; lex: LexRuntimeV2Client }): ConnectParts {
  return {
    async invokeFunction(functionArn, event) {
      const result = await clients.lambda.send(new InvokeCommand({ FunctionName: functionArn, Payload: JSON.stringify(event) }));
      const text = Buffer.from(result.Payload ?? []).toString('utf8');
      if (result.FunctionError) throw new Error(`${functionArn} failed: ${text}`);
      return JSON.parse(text) as unknown;
    },
    async recognizeText(turn) {
      const match = /:bot-alias\/([^/]+)\/([^/]+)$/.exec(turn.aliasArn);
      if (!match) throw new Error(`${turn.aliasArn} is not a Lex V2 bot alias ARN`);
      const answer = await clients.lex.send(
        new RecognizeTextCommand({
          botId: match[1],
          botAliasId: match[2],
          localeId: turn.localeId,
          sessionId: turn.sessionId,
          text: turn.text,
          ...(turn.sessionAttributes ? { sessionState: { sessionAttributes: turn.sessionAttributes } } : {}),
          ...(turn.dtmf ? { requestAttributes: { [LOCAL_INPUT_MODE_ATTRIBUTE]: 'DTMF' } } : {}),
        }),
      );
      return { messages: (answer.messages ?? []).map((message) => ({ ...(message.contentType ? { contentType: message.contentType } : {}), ...(message.content ? { content: message.content } : {}) })), ...(answer.sessionState?.dialogAction?.type ? { dialogAction: answer.sessionState.dialogAction.type } : {}) };
    },
  };
}

function resolveDeep(map: Record<string, unknown>, resolve: (value: unknown) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, typeof value === 'string' ? resolve(value) : value && typeof value === 'object' && !Array.isArray(value) ? resolveDeep(value as Record<string, unknown>, resolve) : value]));
}
