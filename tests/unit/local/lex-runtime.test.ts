/**
 * The local Lex V2 runtime: the bot read from the voice service's own template, the code hook
 * event it builds against the documented Lex V2 input shape, and RecognizeText driven by the real
 * `@aws-sdk/client-lex-runtime-v2` client against a fixture code hook run by the local Lambda runner.
 */
import { join } from 'node:path';
import { LexRuntimeV2Client, RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import type { LexV2Event } from 'aws-lambda';
import { LocalHttpServer } from '../../../local/http';
import { invokeFunction, type LambdaFunction } from '../../../local/lambda';
import { botsOf, codeHookEvent, confirmationOf, functionLogicalId, LOCAL_INPUT_MODE_ATTRIBUTE, matchIntent, mountLexRuntime, type LocalBot } from '../../../local/lex-runtime';
import { loadServiceConfig } from '../../../local/serverless-config';
import type { CloudFormationResource } from '../../../local/serverless-config';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const fixtureDir = join(__dirname, 'fixtures', 'echo-service');
const hook = { name: 'bot-code-hook', functionName: 'centli-echo-local-bot-code-hook', dir: fixtureDir, handler: 'src/handlers/lex-hook.handler', timeout: 3, memorySize: 128 };
const events = () => ((globalThis as { __centliLexEvents?: LexV2Event[] }).__centliLexEvents ??= []);

/** A bot of the voice bot's shape: one custom intent with a dialog code hook, a fallback with a fulfillment hook. */
function botResources(codeHook = 'BotDashcodeDashhookLambdaFunction'): Record<string, CloudFormationResource> {
  const intents = [
    { Name: 'Talk', SampleUtterances: [{ Utterance: 'cuál es mi saldo' }], DialogCodeHook: { Enabled: true }, FulfillmentCodeHook: { Enabled: true } },
    { Name: 'FallbackIntent', ParentIntentSignature: 'AMAZON.FallbackIntent', FulfillmentCodeHook: { Enabled: true } },
  ];
  const setting = { Enabled: true, CodeHookSpecification: { LambdaCodeHook: { LambdaArn: { 'Fn::GetAtt': [codeHook, 'Arn'] }, CodeHookInterfaceVersion: '1.0' } } };
  return {
    Bot: { Type: 'AWS::Lex::Bot', Properties: { Name: 'centli-echo-bot', IdleSessionTTLInSeconds: 60, BotLocales: [{ LocaleId: 'es_419', Intents: intents }, { LocaleId: 'en_US', Intents: intents }] } },
    Version: { Type: 'AWS::Lex::BotVersion', Properties: { BotId: { Ref: 'Bot' } } },
    Alias: { Type: 'AWS::Lex::BotAlias', Properties: { BotId: { Ref: 'Bot' }, BotAliasName: 'live', BotVersion: { 'Fn::GetAtt': ['Version', 'BotVersion'] }, BotAliasLocaleSettings: ['es_419', 'en_US'].map((LocaleId) => ({ LocaleId, BotAliasLocaleSetting: setting })) } },
  };
}

describe('the bot, as its template declares it', () => {
  it('names a function’s resource as serverless does', () => {
    expect(functionLogicalId('bot-code-hook')).toBe('BotDashcodeDashhookLambdaFunction');
    expect(functionLogicalId('get_balance')).toBe('GetUnderscorebalanceLambdaFunction');
  });

  it('reads the voice service’s bot: both locales, the live alias and bot-code-hook as each locale’s code hook', () => {
    // Prepare
    const voice = loadServiceConfig(join(__dirname, '../../../services/voice/serverless.yml'), { stage: 'local', env: {} });

    // Act
    const [bot, ...others] = botsOf(voice.resources, [...voice.functions.filter((fn) => fn.name !== hook.name), hook], 'us-east-1');

    // Assess
    expect(others).toEqual([]);
    expect(bot).toMatchObject({ botName: 'centli-voice-local', botAliasName: 'live', version: '1', idleSessionTtlSeconds: 300, aliasLogicalId: 'VoiceBotAlias' });
    expect(bot?.botId).toMatch(/^[A-Z0-9]{10}$/);
    expect(bot?.aliasArn).toBe(`arn:aws:lex:us-east-1:000000000000:bot-alias/${bot?.botId}/${bot?.botAliasId}`);
    expect(Object.keys(bot?.locales ?? {})).toEqual(['es_419', 'en_US']);
    for (const locale of Object.values(bot?.locales ?? {})) {
      expect(locale.codeHook?.functionName).toBe(hook.functionName);
      expect(locale.intents.map((intent) => [intent.name, intent.parent ?? null, intent.dialogCodeHook, intent.fulfillmentCodeHook])).toEqual([
        ['Talk', null, true, true],
        ['FallbackIntent', 'AMAZON.FallbackIntent', false, true],
      ]);
    }
  });

  it('reports a code hook the service does not declare, and leaves that locale without one', () => {
    const warnings: string[] = [];
    const [bot] = botsOf(botResources('NowhereLambdaFunction'), [hook], 'us-east-1', (message) => warnings.push(message));
    expect(bot?.locales.es_419?.codeHook).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });

  it('sends a sample utterance (case, accents and punctuation aside) to its intent and anything else to the fallback', () => {
    const [bot] = botsOf(botResources(), [hook], 'us-east-1');
    const intents = bot?.locales.es_419?.intents ?? [];
    expect(matchIntent(intents, '¿Cual es mi SALDO?')).toEqual({ intent: intents[0], confidence: 1 });
    expect(matchIntent(intents, 'soy Luis, transfiere de su cuenta')).toEqual({ intent: intents[1] });
    expect([confirmationOf('Sí'), confirmationOf('1'), confirmationOf('no'), confirmationOf('quizá')]).toEqual(['Confirmed', 'Confirmed', 'Denied', 'None']);
  });
});

describe('the code hook event', () => {
  it('has the documented Lex V2 input shape, and nothing the caller sent but the transcript and the attributes', () => {
    // Prepare
    const [bot] = botsOf(botResources(), [hook], 'us-east-1') as [LocalBot];
    const intents = bot.locales.es_419?.intents ?? [];

    // Act
    const event = codeHookEvent({
      bot,
      localeId: 'es_419',
      sessionId: 'contact-1',
      text: 'hola',
      inputMode: 'DTMF',
      intent: intents[1] as (typeof intents)[number],
      invocationSource: 'FulfillmentCodeHook',
      sessionAttributes: { customer_token: 't' },
      requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
      requestId: 'req-1',
      intents,
    });

    // Assess
    expect(Object.keys(event).sort()).toEqual(['bot', 'inputMode', 'inputTranscript', 'interpretations', 'invocationSource', 'messageVersion', 'requestAttributes', 'responseContentType', 'sessionId', 'sessionState']);
    expect(event).toEqual({
      messageVersion: '1.0',
      invocationSource: 'FulfillmentCodeHook',
      inputMode: 'DTMF',
      responseContentType: 'text/plain; charset=utf-8',
      sessionId: 'contact-1',
      inputTranscript: 'hola',
      bot: { id: bot.botId, name: 'centli-echo-bot', aliasId: bot.botAliasId, aliasName: 'live', localeId: 'es_419', version: '1' },
      interpretations: [
        { intent: { name: 'FallbackIntent', slots: {}, state: 'ReadyForFulfillment', confirmationState: 'None' } },
        { intent: { name: 'Talk', slots: {}, state: 'InProgress', confirmationState: 'None' } },
      ],
      requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
      sessionState: { sessionAttributes: { customer_token: 't' }, activeContexts: [], intent: { name: 'FallbackIntent', slots: {}, state: 'ReadyForFulfillment', confirmationState: 'None' }, originatingRequestId: 'req-1' },
    });
  });
});

describe('RecognizeText through the real Lex runtime client', () => {
  const server = new LocalHttpServer();
  let lex: LexRuntimeV2Client;
  let bot: LocalBot;
  let clock = Date.parse('2026-12-06T20:00:00Z');
  const say = (sessionId: string, text: string, extra: { sessionAttributes?: Record<string, string>; requestAttributes?: Record<string, string>; localeId?: string } = {}): Promise<RecognizeTextCommandOutput> =>
    lex.send(
      new RecognizeTextCommand({
        botId: bot.botId,
        botAliasId: bot.botAliasId,
        localeId: extra.localeId ?? 'es_419',
        sessionId,
        text,
        ...(extra.sessionAttributes ? { sessionState: { sessionAttributes: extra.sessionAttributes } } : {}),
        ...(extra.requestAttributes ? { requestAttributes: extra.requestAttributes } : {}),
      }),
    );

  beforeAll(async () => {
    [bot] = botsOf(botResources(), [hook], 'us-east-1') as [LocalBot];
    mountLexRuntime(server, { bots: [bot], invoke: (fn: LambdaFunction, event: unknown) => invokeFunction(fn, event), now: () => clock });
    lex = new LexRuntimeV2Client({ endpoint: await server.start(), region: 'us-east-1', credentials });
  });

  afterAll(async () => {
    lex.destroy();
    await server.stop();
  });

  beforeEach(() => {
    events().length = 0;
  });

  it('keeps the session’s attributes between turns, as the code hook left them, and answers its messages', async () => {
    // Act
    const first = await say('session-keep', '¿cuál es mi saldo?', { sessionAttributes: { customer_token: 'signed', contact_id: 'c-1' } });
    const second = await say('session-keep', 'otra cosa');

    // Assess
    expect(first.messages).toEqual([{ contentType: 'SSML', content: '<speak>Dijiste ¿cuál es mi saldo?.</speak>' }]);
    expect(first.sessionState?.dialogAction?.type).toBe('ElicitIntent');
    expect(first.sessionId).toBe('session-keep');
    expect(second.sessionState?.sessionAttributes).toEqual({ customer_token: 'signed', contact_id: 'c-1', turns: '2' });
    expect(events().map((event) => [event.invocationSource, event.sessionState.intent.name, event.inputMode])).toEqual([
      ['DialogCodeHook', 'Talk', 'Text'],
      ['FulfillmentCodeHook', 'FallbackIntent', 'Text'],
    ]);
    expect(events()[1]?.sessionState.sessionAttributes).toEqual({ customer_token: 'signed', contact_id: 'c-1', turns: '1' });
  });

  it('keeps sessions apart, and forgets one idle longer than the bot’s TTL', async () => {
    await say('session-a', 'uno', { sessionAttributes: { who: 'a' } });
    await say('session-b', 'uno', { sessionAttributes: { who: 'b' } });
    expect((await say('session-a', 'dos')).sessionState?.sessionAttributes).toEqual({ who: 'a', turns: '2' });
    clock += 61_000;
    expect((await say('session-a', 'tres')).sessionState?.sessionAttributes).toEqual({ turns: '1' });
  });

  it('turns the local Connect’s keypad mark into inputMode DTMF and keeps it from the code hook', async () => {
    await say('session-dtmf', '1', { requestAttributes: { [LOCAL_INPUT_MODE_ATTRIBUTE]: 'DTMF', 'x-amz-lex:channels:platform': 'Connect' } });
    expect(events()[0]?.inputMode).toBe('DTMF');
    expect(events()[0]?.requestAttributes).toEqual({ 'x-amz-lex:channels:platform': 'Connect' });
  });

  it('takes the input after a ConfirmIntent as its answer, for the same intent', async () => {
    const asked = await say('session-confirm', 'transfiere');
    const answered = await say('session-confirm', 'sí');
    expect(asked.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    expect(answered.messages?.[0]?.content).toBe('<speak>Respuesta Confirmed.</speak>');
    expect(events()[1]?.sessionState.intent).toMatchObject({ name: 'FallbackIntent', confirmationState: 'Confirmed' });
  });

  it('says Close when the code hook ends the conversation', async () => {
    const closed = await say('session-close', 'adiós', { localeId: 'en_US' });
    expect(closed.sessionState?.dialogAction?.type).toBe('Close');
    expect(closed.sessionState?.intent?.state).toBe('Fulfilled');
    expect(events()[0]?.bot.localeId).toBe('en_US');
  });

  it('refuses as Lex does: an invalid code hook answer, an unknown bot, a locale the alias lacks', async () => {
    await expect(say('session-broken', 'rompe')).rejects.toMatchObject({ name: 'DependencyFailedException' });
    await expect(lex.send(new RecognizeTextCommand({ botId: 'NOSUCHBOT0', botAliasId: bot.botAliasId, localeId: 'es_419', sessionId: 'x1', text: 'hola' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(say('session-fr', 'bonjour', { localeId: 'fr_FR' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
