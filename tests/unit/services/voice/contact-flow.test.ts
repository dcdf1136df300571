/**
 * services/voice/contact-flows/centli-inbound.json against the Amazon Connect Flow language's rules
 * (Version, StartAction, unique identifiers of at most 50 characters without the reserved characters,
 * every transition resolving, at most 250 actions) and against what the caller check needs: the PIN
 * typed on the keypad goes to authenticate-caller and nowhere else, never while flow logging is on,
 * and every path ends by hanging up, after the bot or not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Transition {
  NextAction: string;
}
interface Action {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Errors?: (Transition & { ErrorType: string })[];
    Conditions?: (Transition & { Condition: { Operator: string; Operands: string[] } })[];
  };
}
interface Flow {
  Version: string;
  StartAction: string;
  Metadata?: Record<string, unknown>;
  Actions: Action[];
}

const file = join(__dirname, '../../../../services/voice/contact-flows/centli-inbound.json');
const text = readFileSync(file, 'utf8');
const flow = JSON.parse(text) as Flow;
const byId = new Map(flow.Actions.map((action) => [action.Identifier, action]));

/** The identifiers an action can go to next. */
function nextOf(action: Action): string[] {
  const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
  return [...(NextAction ? [NextAction] : []), ...Errors.map((e) => e.NextAction), ...Conditions.map((c) => c.NextAction)];
}

function reachableFrom(start: string, without?: string): Set<string> {
  const seen = new Set<string>(without ? [without] : []);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    queue.push(...nextOf(byId.get(id) as Action));
  }
  if (without) seen.delete(without);
  return seen;
}

/** Every string anywhere in a parameter object. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const PIN = '$.StoredCustomerInput';
const reads = (action: Action, path: string) => stringsIn(action.Parameters).some((value) => value.includes(path));
const ofType = (type: string) => flow.Actions.filter((action) => action.Type === type);

describe('the Connect flow language', () => {
  it('is version 2019-10-30 and starts at an action it has', () => {
    expect(flow.Version).toBe('2019-10-30');
    expect(byId.has(flow.StartAction)).toBe(true);
  });

  it('has at most 250 actions, each with a unique identifier of at most 50 characters and none of the reserved characters or names', () => {
    expect(flow.Actions.length).toBeLessThanOrEqual(250);
    expect(byId.size).toBe(flow.Actions.length);
    const reserved = ['__proto__', 'constructor', '__defineGetter__', '__defineSetter__', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'valueOf'];
    for (const { Identifier } of flow.Actions) {
      expect(Identifier.length).toBeGreaterThan(0);
      expect(Identifier.length).toBeLessThanOrEqual(50);
      expect(Identifier).not.toMatch(/[%:(\\/)=$,;[\]{}]/);
      expect(reserved).not.toContain(Identifier);
    }
  });

  it('resolves every transition (next, error and condition) to an action it has', () => {
    const dangling = flow.Actions.flatMap((action) => nextOf(action).filter((id) => !byId.has(id)).map((id) => `${action.Identifier} → ${id}`));
    expect(dangling).toEqual([]);
  });

  it('reaches every action from the start', () => {
    const reached = reachableFrom(flow.StartAction);
    expect(flow.Actions.map((a) => a.Identifier).filter((id) => !reached.has(id))).toEqual([]);
  });

  it('ends every path by hanging up: only DisconnectParticipant has no way on, and one is reachable from every action', () => {
    for (const action of flow.Actions) {
      if (action.Type === 'DisconnectParticipant') expect(nextOf(action)).toEqual([]);
      else expect({ id: action.Identifier, next: nextOf(action).length > 0 }).toEqual({ id: action.Identifier, next: true });
      const ends = [...reachableFrom(action.Identifier)].some((id) => byId.get(id)?.Type === 'DisconnectParticipant');
      expect({ id: action.Identifier, hangsUp: ends }).toEqual({ id: action.Identifier, hangsUp: true });
    }
  });

  it('gives a Loop exactly its two documented conditions, ContinueLooping and DoneLooping, and a count of at most 100', () => {
    const loops = ofType('Loop');
    expect(loops.length).toBeGreaterThan(0);
    for (const loop of loops) {
      expect((loop.Transitions.Conditions ?? []).map((c) => c.Condition.Operands[0]).sort()).toEqual(['ContinueLooping', 'DoneLooping']);
      expect(Number(loop.Parameters.LoopCount)).toBeLessThanOrEqual(100);
    }
  });
});

describe('the caller check in the flow', () => {
  it('asks for the PIN on the keypad: stored, at most 4 digits, with a timeout and # to finish', () => {
    const inputs = ofType('GetParticipantInput');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.Parameters).toMatchObject({
      StoreInput: 'True',
      InputTimeLimitSeconds: expect.stringMatching(/^\d+$/),
      InputValidation: { CustomValidation: { MaximumLength: '4' } },
      DTMFConfiguration: { InputTerminationSequence: '#' },
    });
  });

  it('asks before it checks: authenticate-caller is invoked only with the PIN, through its ARN placeholder, within Connect’s 8 seconds', () => {
    const invocations = ofType('InvokeLambdaFunction');
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.Parameters).toEqual({
      LambdaFunctionARN: '${AuthenticateCallerArn}',
      InvocationTimeLimitSeconds: '8',
      InvocationType: 'SYNCHRONOUS',
      ResponseValidation: { ResponseType: 'STRING_MAP' },
      LambdaInvocationAttributes: { pin: PIN },
    });
    // A call without a PIN would count as a wrong one (the function hashes whatever it is given).
    // So every path from the start to it passes the keypad: without the input action it is unreachable.
    const input = ofType('GetParticipantInput')[0] as Action;
    expect(reachableFrom(flow.StartAction, input.Identifier).has(invocations[0]?.Identifier as string)).toBe(false);
  });

  it('branches on every answer of authenticate-caller, and on anything else to the polite refusal', () => {
    const route = flow.Actions.find((a) => a.Type === 'Compare' && a.Parameters.ComparisonValue === '$.External.result') as Action;
    const answers = Object.fromEntries((route.Transitions.Conditions ?? []).map((c) => [c.Condition.Operands[0], byId.get(c.NextAction)?.Type]));
    expect(answers).toEqual({ verified: 'UpdateContactAttributes', wrong_pin: 'MessageParticipant', locked: 'MessageParticipant', unknown_caller: 'MessageParticipant' });
    expect(route.Transitions.Errors).toEqual([{ NextAction: 'say-sorry', ErrorType: 'NoMatchingCondition' }]);
  });

  it('plays the function’s own refusal, loops back to the PIN after a wrong one (bounded by a Loop) and hangs up after a lock or an unknown number', () => {
    const route = byId.get('route-result') as Action;
    const target = (answer: string) => byId.get((route.Transitions.Conditions ?? []).find((c) => c.Condition.Operands[0] === answer)?.NextAction as string) as Action;
    expect(target('wrong_pin').Parameters).toEqual({ Text: '$.External.message' });
    expect(byId.get(target('wrong_pin').Transitions.NextAction as string)?.Type).toBe('Loop');
    for (const answer of ['locked', 'unknown_caller']) {
      expect(target(answer).Parameters).toEqual({ Text: '$.External.message' });
      expect(byId.get(target(answer).Transitions.NextAction as string)?.Type).toBe('DisconnectParticipant');
    }
  });

  it('hands a verified caller to the bot with the signed token, locale and Connect’s contact id in the session attributes, the bot alias a placeholder', () => {
    const remember = byId.get('remember-caller') as Action;
    expect(remember.Parameters).toEqual({ Attributes: { customer_token: '$.External.customer_token', locale: '$.External.locale' }, TargetContact: 'Current' });
    const bots = ofType('ConnectParticipantWithLexBot');
    expect(bots).toHaveLength(1);
    expect(bots[0]?.Parameters).toMatchObject({ LexV2Bot: { AliasArn: '${VoiceBotAliasArn}' }, LexSessionAttributes: { customer_token: '$.Attributes.customer_token', locale: '$.Attributes.locale', contact_id: '$.ContactId' } });
    expect(remember.Transitions.NextAction).toBe(bots[0]?.Identifier);
  });

  it('never writes the PIN into contact or bot session attributes, nor says it', () => {
    const leaks = flow.Actions.filter((action) => reads(action, PIN) && !['InvokeLambdaFunction', 'Compare'].includes(action.Type));
    expect(leaks.map((a) => a.Identifier)).toEqual([]);
    for (const action of [...ofType('UpdateContactAttributes'), ...ofType('ConnectParticipantWithLexBot'), ...ofType('MessageParticipant')]) {
      expect(stringsIn(action.Parameters).filter((value) => value.includes('StoredCustomerInput'))).toEqual([]);
    }
  });

  it('turns flow logging off before the PIN is asked for and back on only after authenticate-caller has answered', () => {
    // Walk every path, tracking the logging state: the PIN must never be read with logging on.
    const readWithLogging: string[] = [];
    const seen = new Set<string>();
    const walk = (id: string, logging: boolean) => {
      const key = `${id}:${logging}`;
      const action = byId.get(id);
      if (!action || seen.has(key)) return;
      seen.add(key);
      const behaviour = action.Type === 'UpdateFlowLoggingBehavior' ? action.Parameters.FlowLoggingBehavior === 'Enabled' : logging;
      if ((reads(action, PIN) || action.Type === 'GetParticipantInput') && logging) readWithLogging.push(id);
      for (const next of nextOf(action)) walk(next, behaviour);
    };
    walk(flow.StartAction, true);
    expect(readWithLogging).toEqual([]);
    expect(byId.get((byId.get('check-caller') as Action).Transitions.NextAction as string)?.Parameters).toEqual({ FlowLoggingBehavior: 'Enabled' });
  });

  it('greets in Spanish and English, in SSML', () => {
    const greeting = byId.get(flow.StartAction) as Action;
    expect(greeting.Type).toBe('MessageParticipant');
    expect(greeting.Parameters.SSML).toMatch(/^<speak>Hola.*<lang xml:lang="en-US">Hello.*<\/lang><\/speak>$/);
  });

  it('holds no account data: no ARN, account id, phone number or region, only the two placeholders', () => {
    expect(text).not.toMatch(/arn:aws/);
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toMatch(/\+\d{8,}/);
    expect(text).not.toMatch(/\b[a-z]{2}-[a-z]+-\d\b/);
    expect([...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort()).toEqual(['AuthenticateCallerArn', 'VoiceBotAliasArn']);
  });
});
