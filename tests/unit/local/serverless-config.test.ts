import { join } from 'node:path';
import {
  findServerlessFiles,
  loadServiceConfig,
  loadServiceConfigs,
  REPOSITORY_ROOT,
  serviceConfigFromYaml,
  type FunctionConfig,
  type ServiceConfig,
} from '../../../local/serverless-config';
import { unionEnvironment } from '../../../local/environment';

const CORE_BANKING = join(REPOSITORY_ROOT, 'services', 'core-banking', 'serverless.yml');

const INLINE = `
service: demo
params:
  default: { logLevel: INFO }
  prod: { logLevel: WARN }
custom:
  delivery: { maximumEventAge: 60, maximumRetryAttempts: 1 }
  bus: !ImportValue bus-name-\${sls:stage}
provider:
  name: aws
  stage: \${opt:stage, 'local'}
  region: \${opt:region, 'us-east-1'}
  timeout: 10
  environment:
    TABLE: demo-\${sls:stage}
    LEVEL: \${param:logLevel}
    RETRIES: 3
functions:
  first:
    handler: src/handlers/first.handler
    environment:
      LEVEL: DEBUG
      EXTRA: \${env:DEMO_EXTRA, 'none'}
    events:
      - eventBridge:
          eventBus: \${self:custom.bus}
          pattern:
            source: [{ prefix: demo. }]
            detail-type: [FIRST]
          retryPolicy: \${self:custom.delivery}
      - eventBridge:
          schedule: rate(5 minutes)
      - schedule: rate(1 minute)
      - schedule:
          rate: [rate(2 hours), cron(0 12 * * ? *)]
      - schedule:
          rate: rate(1 day)
          enabled: false
  second:
    name: custom-second
    handler: src/handlers/second.handler
    timeout: 3
    memorySize: 256
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: demo-\${sls:stage}
        StreamArn: !GetAtt Table.StreamArn
`;

function fn(service: ServiceConfig, name: string): FunctionConfig {
  const found = service.functions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return found;
}

describe('serviceConfigFromYaml', () => {
  const service = serviceConfigFromYaml(INLINE, { file: '/repo/services/demo/serverless.yml', env: {} });

  it('reads the service, its directory, stage and region', () => {
    expect(service).toMatchObject({ name: 'demo', dir: '/repo/services/demo', stage: 'local', region: 'us-east-1' });
  });

  it('resolves the provider environment, values as strings', () => {
    expect(service.environment).toEqual({ TABLE: 'demo-local', LEVEL: 'INFO', RETRIES: '3' });
  });

  it("merges each function's environment over the provider's", () => {
    expect(fn(service, 'first').environment).toEqual({ TABLE: 'demo-local', LEVEL: 'DEBUG', RETRIES: '3', EXTRA: 'none' });
    expect(fn(service, 'second').environment).toEqual(service.environment);
  });

  it('takes handler, name, timeout and memory from the function, then the provider, then the defaults', () => {
    expect(fn(service, 'first')).toMatchObject({
      handler: 'src/handlers/first.handler',
      functionName: 'demo-local-first',
      service: 'demo',
      dir: '/repo/services/demo',
      timeout: 10,
      memorySize: 1024,
    });
    expect(fn(service, 'second')).toMatchObject({ functionName: 'custom-second', timeout: 3, memorySize: 256 });
  });

  it('keeps the eventBridge events that have a pattern', () => {
    expect(fn(service, 'first').eventBridge).toEqual([
      {
        pattern: { source: [{ prefix: 'demo.' }], 'detail-type': ['FIRST'] },
        eventBus: { 'Fn::ImportValue': 'bus-name-local' },
      },
    ]);
    expect(fn(service, 'second').eventBridge).toEqual([]);
  });

  it('reads the periods of its rate schedules, which the local stack runs too (cron and disabled ones it does not)', () => {
    expect(fn(service, 'first').schedules).toEqual([60, 7200]);
    expect(fn(service, 'second').schedules).toEqual([]);
  });

  it('returns resources.Resources resolved, intrinsics in their long form', () => {
    expect(service.resources).toEqual({
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'demo-local', StreamArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } },
    });
  });

  it('resolves for another stage and region', () => {
    // Act
    const prod = serviceConfigFromYaml(INLINE, { stage: 'prod', region: 'eu-west-1', env: { DEMO_EXTRA: 'set' } });

    // Assess
    expect(prod).toMatchObject({ stage: 'prod', region: 'eu-west-1', environment: { TABLE: 'demo-prod', LEVEL: 'WARN' } });
    expect(fn(prod, 'first').environment.EXTRA).toBe('set');
  });

  it('lists, rather than guesses, the variables whose value CloudFormation computes', () => {
    // Prepare
    const yaml = 'service: x\nprovider: { environment: { T: !Ref Table, PLAIN: p } }\nfunctions: { f: { handler: a.b, environment: { ISSUER: !ImportValue issuer } } }';

    // Act
    const parsed = serviceConfigFromYaml(yaml, { env: {} });

    // Assess
    expect(fn(parsed, 'f')).toMatchObject({ environment: { PLAIN: 'p' }, cloudFormationEnvironment: ['T', 'ISSUER'] });
  });

  it('reads httpApi routes and websocket routes, and the route selection expression', () => {
    // Prepare
    const yaml = [
      'service: x',
      "provider: { websocketsApiRouteSelectionExpression: '$request.body.kind' }",
      'functions:',
      "  api: { handler: a.b, events: [{ httpApi: 'POST /mcp' }, { httpApi: { method: get, path: '/items/{id}' } }, { httpApi: '*' }] }",
      "  ws: { handler: a.c, events: [{ websocket: $connect }, { websocket: { route: message } }] }",
    ].join('\n');

    // Act
    const parsed = serviceConfigFromYaml(yaml, { env: {} });

    // Assess
    expect(fn(parsed, 'api').httpApi).toEqual([
      { method: 'POST', path: '/mcp' },
      { method: 'GET', path: '/items/{id}' },
      { method: '*', path: '*' },
    ]);
    expect(fn(parsed, 'ws').websocket).toEqual(['$connect', 'message']);
    expect(parsed.websocketRouteSelection).toBe('$request.body.kind');
  });

  it.each<[string, string, RegExp]>([
    ['a handler without an export', 'service: x\nfunctions: { f: { handler: src/f } }', /functions\.f\.handler must be "path\/to\/module\.export"/],
    ['a missing service name', 'provider: { name: aws }', /service must be a non-empty string/],
    ['a pattern that is not a mapping', 'service: x\nfunctions: { f: { handler: a.b, events: [{ eventBridge: { pattern: [1] } }] } }', /events\[0\]\.eventBridge\.pattern must be a mapping/],
  ])('refuses %s', (_name, yaml, message) => {
    expect(() => serviceConfigFromYaml(yaml, { env: {} })).toThrow(message);
  });
});

describe('findServerlessFiles', () => {
  it('lists the platform first, then every service', () => {
    // Act
    const files = findServerlessFiles();

    // Assess
    expect(files[0]).toBe(join(REPOSITORY_ROOT, 'serverless.yml'));
    expect(files).toContain(CORE_BANKING);
  });
});

describe('loadServiceConfig on services/core-banking/serverless.yml', () => {
  const service = loadServiceConfig(CORE_BANKING);

  it('names the tables for the local stage', () => {
    // Act
    const names = Object.values(service.resources)
      .filter((resource) => resource.Type === 'AWS::DynamoDB::Table')
      .map((resource) => resource.Properties?.TableName);

    // Assess
    expect(names).toEqual(['centli-accounts-local', 'centli-transactions-local', 'centli-ledger-controls-local', 'centli-spei-orders-local']);
    expect(service.environment).toMatchObject({
      EVENT_BUS_NAME: 'centli-event-bus-local',
      ACCOUNTS_TABLE: 'centli-accounts-local',
      TRANSACTIONS_TABLE: 'centli-transactions-local',
      LEDGER_CONTROLS_TABLE: 'centli-ledger-controls-local',
    });
  });

  it('gives the transfer function its limits and its pattern', () => {
    // Act
    const transfer = fn(service, 'transfer');

    // Assess
    expect(transfer.handler).toBe('src/handlers/transfer.handler');
    expect(transfer.functionName).toBe('centli-core-banking-local-transfer');
    expect(transfer.timeout).toBe(10);
    expect(transfer.environment).toMatchObject({ TRANSFER_MAX_AMOUNT: '5000000', ACCOUNTS_TABLE: 'centli-accounts-local' });
    expect(transfer.eventBridge).toEqual([
      {
        pattern: { source: ['centli.agent-gateway', 'centli.mcp', 'centli.voice'], 'detail-type': ['TRANSFER_REQUEST'] },
        eventBus: { 'Fn::ImportValue': 'centli-event-bus-name-local' },
      },
    ]);
  });

  it("gives each function its role, resolved, with what the generated wiring lets it put", () => {
    // Act
    const balance = fn(service, 'balance');

    // Assess
    expect(balance.role.name).toBe('centli-core-banking-balance-local');
    expect(balance.role.statements).toContainEqual({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: { 'Fn::ImportValue': 'centli-event-bus-arn-local' },
      Condition: { 'ForAllValues:StringEquals': { 'events:source': ['centli.core-banking'] }, StringEquals: { 'events:detail-type': ['BALANCE_FAILED', 'BALANCE_RESPONSE'] } },
    });
    expect(fn(service, 'charge-payment').role.statements.some((statement) => JSON.stringify(statement).includes('events:'))).toBe(false);
  });

  it('reads deletion protection from params for the stage', () => {
    // Act
    const prod = loadServiceConfig(CORE_BANKING, { stage: 'prod' });

    // Assess
    expect(service.resources.AccountsTable?.Properties?.DeletionProtectionEnabled).toBe(false);
    expect(prod.resources.AccountsTable?.Properties?.TableName).toBe('centli-accounts-prod');
    expect(prod.resources.AccountsTable?.Properties?.DeletionProtectionEnabled).toBe(true);
  });
});

describe('loadServiceConfigs with --param intentEngine=bedrock', () => {
  it('gives every door that understands customers the Bedrock engine, one value for the shared environment', () => {
    // Act
    const parser = loadServiceConfigs({ stage: 'local' }).flatMap((s) => s.functions);
    const bedrock = loadServiceConfigs({ stage: 'local', params: { intentEngine: 'bedrock' } }).flatMap((s) => s.functions);

    // Assess
    const engines = (functions: FunctionConfig[]) => new Set(functions.map((fn) => fn.environment.INTENT_ENGINE).filter(Boolean));
    expect(engines(parser)).toEqual(new Set(['parser']));
    expect(engines(bedrock)).toEqual(new Set(['bedrock']));
    expect(bedrock.filter((fn) => fn.environment.INTENT_ENGINE).map((fn) => fn.service)).toEqual(expect.arrayContaining(['centli-agent-gateway', 'centli-voice']));
    expect(unionEnvironment(bedrock)).toMatchObject({ INTENT_ENGINE: 'bedrock', BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0' });
  });
});
