import { describeStack, parseArguments } from '../../../local/start';

describe('parseArguments', () => {
  it.each<[string, string[], NodeJS.ProcessEnv, Record<string, unknown>]>([
    ['nothing', [], {}, {}],
    ['a port', ['--port', '4010'], {}, { port: 4010 }],
    ['a port, inline', ['--port=0'], {}, { port: 0 }],
    ['no seed', ['--no-seed'], {}, { seed: false }],
    ['a stage and a log level', ['--stage', 'dev', '--log-level', 'DEBUG'], {}, { stage: 'dev', logLevel: 'DEBUG' }],
    ['the environment', [], { CENTLI_STATE_FILE: '/tmp/centli.json', CENTLI_LOG_LEVEL: 'WARN' }, { stateFile: '/tmp/centli.json', logLevel: 'WARN' }],
    ['a flag over the environment', ['--log-level', 'ERROR'], { CENTLI_LOG_LEVEL: 'WARN' }, { logLevel: 'ERROR' }],
    ['a chaos seed', ['--chaos', '42'], {}, { chaos: { seed: 42 } }],
    ['a chaos seed and rates', ['--chaos', '7', '--chaos-rates', 'duplicate=0.5,socket-drop=0'], {}, { chaos: { seed: 7, rates: { duplicate: 0.5, 'socket-drop': 0 } } }],
    ['params', ['--param', 'intentEngine=bedrock', '--param=bedrockModelId=amazon.nova-micro-v1:0'], {}, { params: { intentEngine: 'bedrock', bedrockModelId: 'amazon.nova-micro-v1:0' } }],
    ['params from the environment, under a flag', ['--param', 'intentEngine=parser'], { CENTLI_PARAMS: 'intentEngine=bedrock,bedrockModelId=m' }, { params: { intentEngine: 'parser', bedrockModelId: 'm' } }],
    ['chaos from the environment', [], { CENTLI_CHAOS: '20261126', CENTLI_CHAOS_RATES: 'fail-after=0.2' }, { chaos: { seed: 20261126, rates: { 'fail-after': 0.2 } } }],
  ])('reads %s', (_name, argv, env, expected) => {
    expect(parseArguments(argv, env)).toEqual(expected);
  });

  it.each([
    ['an unknown flag', ['--verbose'], /unknown argument --verbose/],
    ['a port out of range', ['--port', '70000'], /--port must be an integer/],
    ['a flag without its value', ['--stage'], /--stage needs a value/],
    ['a param without a value', ['--param', 'intentEngine'], /--param takes name=value/],
    ['a chaos seed that is not a number', ['--chaos', 'x'], /--chaos needs a non-negative integer seed/],
    ['an unknown fault', ['--chaos', '1', '--chaos-rates', 'meteor=1'], /unknown fault meteor/],
    ['a rate above 1', ['--chaos', '1', '--chaos-rates', 'duplicate=2'], /the rate of duplicate must be a number from 0 to 1/],
  ])('refuses %s, with the usage', (_name, argv, message) => {
    expect(() => parseArguments(argv, {})).toThrow(message);
    expect(() => parseArguments(argv, {})).toThrow(/usage: npm start/);
  });
});

describe('describeStack', () => {
  const text = describeStack({
    endpoints: { dynamodb: 'http://127.0.0.1:4011', eventbridge: 'http://127.0.0.1:4010', http: 'http://127.0.0.1:4010', region: 'us-east-1', issuer: 'http://127.0.0.1:4010' },
    stateFile: '/repo/.centli/local.json',
    busName: 'centli-event-bus-local',
    stage: 'local',
  });

  it('lists the endpoints', () => {
    expect(text).toMatch(/EventBridge\s+http:\/\/127\.0\.0\.1:4010/);
    expect(text).toMatch(/DynamoDB\s+http:\/\/127\.0\.0\.1:4011/);
    expect(text).toContain("curl 'http://127.0.0.1:4010/events?correlation_id=corr-1'");
  });

  it('shows an AWS CLI command whose entries are valid PutEvents entries', () => {
    // Act
    const entries = /--entries '([^']+)'/.exec(text)?.[1];

    // Assess
    expect(text).toContain('aws events put-events --endpoint-url http://127.0.0.1:4010 --region us-east-1');
    expect(JSON.parse(entries ?? 'null')).toEqual([
      {
        EventBusName: 'centli-event-bus-local',
        Source: 'centli.agent-gateway',
        DetailType: 'BALANCE_QUERY',
        Detail: JSON.stringify({ request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' }),
      },
    ]);
  });
});
