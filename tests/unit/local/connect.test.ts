/**
 * The local Connect walking the inbound contact flow that deploys
 * (services/voice/contact-flows/centli-inbound.json): the caller's side and the AWS parts are
 * in-memory stand-ins that answer in the shapes authenticate-caller and Lex V2 answer (the real
 * parts run in tests/integration/voice/call.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowSubstitutions, lexLocaleOf, parseContactFlow, ssmlToText, substitute, walkContactFlow, type BotTurn, type CallerInput, type ConnectParts, type ContactFlowEvent, type FlowLogEntry } from '../../../local/connect';
import { loadServiceConfig } from '../../../local/serverless-config';

const FLOW = readFileSync(join(__dirname, '../../../services/voice/contact-flows/centli-inbound.json'), 'utf8');
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:centli-voice-local-authenticate-caller';
const ALIAS_ARN = 'arn:aws:lex:us-east-1:000000000000:bot-alias/BOTBOTBOT1/ALIASALIAS';
const flow = () => parseContactFlow(FLOW, { AuthenticateCallerArn: FUNCTION_ARN, VoiceBotAliasArn: ALIAS_ARN });

/** A caller reading a script; what they hear is kept. */
function caller(script: CallerInput[]) {
  const heard: string[] = [];
  const left = [...script];
  return { heard, telephone: { hear: (text: string) => void heard.push(text), listen: async () => left.shift() } };
}

/** Parts that answer as authenticate-caller (PIN 2468, the third wrong PIN locks) and a bot that says back what it heard. */
function parts(options: { known?: boolean; failing?: boolean } = {}) {
  const invocations: Array<{ arn: string; event: ContactFlowEvent }> = [];
  const turns: Array<Parameters<ConnectParts['recognizeText']>[0]> = [];
  let wrong = 0;
  const connect: ConnectParts = {
    async invokeFunction(arn, event) {
      invocations.push({ arn, event });
      if (options.failing) throw new Error('Task timed out after 8.00 seconds');
      if (options.known === false) return { result: 'unknown_caller', locale: 'es', message: 'No puedo atenderte desde este número.' };
      if (wrong >= 3) return { result: 'locked', attempts_left: '0', locale: 'es', message: 'Tu teléfono está bloqueado.' };
      if (event.Details.Parameters.pin === '2468') return { result: 'verified', attempts_left: '3', customer_token: 'signed-token', locale: 'es' };
      wrong += 1;
      return wrong >= 3 ? { result: 'locked', attempts_left: '0', locale: 'es', message: 'Tu teléfono está bloqueado.' } : { result: 'wrong_pin', attempts_left: String(3 - wrong), locale: 'es', message: `NIP incorrecto, quedan ${3 - wrong}.` };
    },
    async recognizeText(turn): Promise<BotTurn> {
      turns.push(turn);
      if (turn.text === 'adiós') return { messages: [{ contentType: 'SSML', content: '<speak>Hasta pronto.</speak>' }], dialogAction: 'Close' };
      return { messages: [{ contentType: 'SSML', content: `<speak>Oí <break time="200ms"/> ${turn.text} &amp; más.</speak>` }], dialogAction: 'ElicitIntent' };
    },
  };
  return { connect, invocations, turns };
}

const call = (script: CallerInput[], p: ReturnType<typeof parts>, extra: { flowLog?: (entry: FlowLogEntry) => void; languageCode?: string } = {}) => {
  const line = caller(script);
  return walkContactFlow(flow(), {
    contactId: 'contact-1',
    callerNumber: '+525512345678',
    systemNumber: '+525500000000',
    languageCode: extra.languageCode ?? 'es-MX',
    instanceArn: 'arn:aws:connect:us-east-1:000000000000:instance/local',
    telephone: line.telephone,
    parts: p.connect,
    ...(extra.flowLog ? { flowLog: extra.flowLog } : {}),
  }).then((outcome) => ({ outcome, heard: line.heard }));
};

describe('the contact flow as the local Connect walks it', () => {
  it('substitutes the template’s names and refuses one the template does not give', () => {
    expect(substitute('{"a":"${AuthenticateCallerArn}"}', { AuthenticateCallerArn: 'x' })).toBe('{"a":"x"}');
    expect(() => parseContactFlow(FLOW, { AuthenticateCallerArn: FUNCTION_ARN })).toThrow(/VoiceBotAliasArn/);
  });

  it('resolves the flow’s names from the voice template: the function’s local ARN and the alias the stack serves', () => {
    const voice = loadServiceConfig(join(__dirname, '../../../services/voice/serverless.yml'), { stage: 'local', env: {} });
    expect(flowSubstitutions(voice, 'InboundContactFlow', [{ aliasLogicalId: 'VoiceBotAlias', aliasArn: ALIAS_ARN }], 'us-east-1')).toEqual({ AuthenticateCallerArn: FUNCTION_ARN, VoiceBotAliasArn: ALIAS_ARN });
    expect(() => flowSubstitutions(voice, 'InboundContactFlow', [], 'us-east-1')).toThrow(/VoiceBotAliasArn/);
  });

  it('reads SSML out as plain words, and picks the bot’s locale from the contact’s language', () => {
    expect(ssmlToText('<speak>Hola.<break time="300ms"/>Son <say-as interpret-as="digits">12</say-as> &amp; &lt;ya&gt;.</speak>')).toBe('Hola. Son 12 & <ya>.');
    expect([lexLocaleOf('es-MX'), lexLocaleOf('en-US'), lexLocaleOf('es-419')]).toEqual(['es_419', 'en_US', 'es_419']);
  });

  it('greets, takes the keypad PIN, checks it with the function, and hands the bot the token and the contact id; the bot’s Close ends the call', async () => {
    // Prepare
    const p = parts();

    // Act
    const { outcome, heard } = await call([{ dtmf: '2468#' }, { speech: '¿cuál es mi saldo?' }, { dtmf: '1' }, { speech: 'adiós' }, { speech: 'never read' }], p);

    // Assess
    expect(outcome.ended).toBe('disconnected');
    expect(heard).toEqual([
      'Hola, gracias por llamar a Centli. Hello, thank you for calling Centli.',
      'Marca tu NIP de cuatro dígitos y después la tecla de gato. Enter your four digit PIN, then the pound key.',
      'Listo. ¿En qué te ayudo? How can I help?',
      'Oí ¿cuál es mi saldo? & más.',
      'Oí 1 & más.',
      'Hasta pronto.',
    ]);
    // The bot said the last words; the flow hangs up after its Close.
    expect(outcome.path.slice(-2)).toEqual(['talk-to-centli', 'hang-up']);
    expect(p.invocations.map(({ arn, event }) => [arn, event.Details.Parameters, event.Details.ContactData.CustomerEndpoint?.Address, event.Details.ContactData.ContactId])).toEqual([[FUNCTION_ARN, { pin: '2468' }, '+525512345678', 'contact-1']]);
    expect(p.turns.map((turn) => [turn.text, turn.dtmf, turn.localeId, turn.sessionId, turn.aliasArn])).toEqual([
      ['¿cuál es mi saldo?', false, 'es_419', 'contact-1', ALIAS_ARN],
      ['1', true, 'es_419', 'contact-1', ALIAS_ARN],
      ['adiós', false, 'es_419', 'contact-1', ALIAS_ARN],
    ]);
    // Only the first turn carries the flow's session attributes; Lex keeps them after that.
    expect(p.turns.map((turn) => turn.sessionAttributes)).toEqual([{ customer_token: 'signed-token', locale: 'es', contact_id: 'contact-1' }, undefined, undefined]);
    expect(outcome.attributes).toEqual({ customer_token: 'signed-token', locale: 'es' });
  });

  it('plays the function’s refusal after a wrong PIN and asks again; the third wrong PIN is told it is locked and hung up on', async () => {
    const p = parts();
    const { outcome, heard } = await call([{ dtmf: '1111' }, { dtmf: '2222' }, { dtmf: '3333' }, { speech: 'hola' }], p);
    expect(outcome.ended).toBe('disconnected');
    expect(heard.filter((line) => !line.startsWith('Marca'))).toEqual(['Hola, gracias por llamar a Centli. Hello, thank you for calling Centli.', 'NIP incorrecto, quedan 2.', 'NIP incorrecto, quedan 1.', 'Tu teléfono está bloqueado.']);
    expect(p.turns).toEqual([]);
    expect(outcome.path.at(-1)).toBe('hang-up');
  });

  it('tells an unknown number the function’s refusal and nothing else, and never reaches the bot', async () => {
    const p = parts({ known: false });
    const { heard } = await call([{ dtmf: '2468' }, { speech: '¿cuál es mi saldo?' }], p);
    expect(heard.slice(2)).toEqual(['No puedo atenderte desde este número.']);
    expect(p.turns).toEqual([]);
  });

  it('counts a caller who speaks instead of typing as a timeout, which the function never sees, at most three times', async () => {
    const p = parts();
    const { heard } = await call([{ speech: 'dos cuatro seis ocho' }, { speech: 'no sé' }, { speech: 'hola' }], p);
    expect(p.invocations).toEqual([]);
    expect(heard.at(-1)).toMatch(/^No pudimos verificar tu NIP/);
  });

  it('says sorry and hangs up when the function fails', async () => {
    const p = parts({ failing: true });
    const { heard, outcome } = await call([{ dtmf: '2468' }], p);
    expect(heard.at(-1)).toMatch(/^Lo sentimos/);
    expect(outcome.ended).toBe('disconnected');
  });

  it('ends when the caller hangs up, wherever they are', async () => {
    expect((await call([], parts())).outcome.ended).toBe('caller-hung-up');
    expect((await call([{ dtmf: '2468' }, { speech: 'hola' }], parts())).outcome.ended).toBe('caller-hung-up');
  });

  it('never writes the PIN into the flow log, nor into a contact attribute or the bot’s session', async () => {
    // Prepare
    const log: FlowLogEntry[] = [];
    const p = parts();

    // Act
    const { outcome } = await call([{ dtmf: '1357' }, { dtmf: '2468' }, { speech: 'hola' }], p, { flowLog: (entry) => log.push(entry) });

    // Assess
    expect(log.length).toBeGreaterThan(5);
    expect(log.map((entry) => entry.Identifier)).not.toContain('check-caller');
    expect(JSON.stringify(log)).not.toMatch(/1357|2468/);
    expect(JSON.stringify(outcome.attributes)).not.toMatch(/1357|2468/);
    expect(JSON.stringify(p.turns)).not.toMatch(/1357|2468/);
  });
});
