import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseCloudFormationYaml } from '../../../local/cloudformation-yaml';
import { findServerlessFiles, REPOSITORY_ROOT } from '../../../local/serverless-config';
import { VariableResolver, type VariableContext } from '../../../local/serverless-variables';

/** Resolves `path` of a YAML document; the stage is `local` unless the context says otherwise. */
function resolve(yaml: string, path: string, context: Partial<VariableContext> = {}): unknown {
  const document = parseCloudFormationYaml(yaml) as Record<string, unknown>;
  return new VariableResolver(document, { stage: 'local', env: {}, ...context }).resolveAt(path);
}

describe('VariableResolver', () => {
  it.each<[string, string, unknown, Partial<VariableContext>]>([
    ['${sls:stage}', 'v: t-${sls:stage}', 't-local', {}],
    ['${opt:stage} from the stage, not the fallback', "v: ${opt:stage, 'dev'}", 'local', {}],
    ['${opt:region} falling back', "v: ${opt:region, 'us-east-1'}", 'us-east-1', {}],
    ['${opt:region} given', "v: ${opt:region, 'us-east-1'}", 'eu-west-1', { region: 'eu-west-1' }],
    ['${opt:<name>} from the options', 'v: ${opt:verbose}', true, { options: { verbose: true } }],
    ['${env:NAME} set', "v: ${env:NAME, 'x'}", 'from-env', { env: { NAME: 'from-env' } }],
    ['${env:NAME} falling back', "v: ${env:NAME, 'x'}", 'x', {}],
    ['a double-quoted fallback', 'v: \'${env:NAME, "y"}\'', 'y', {}],
    ['a number fallback, keeping its type', 'v: ${env:NAME, 5}', 5, {}],
    ['a boolean fallback, keeping its type', 'v: ${env:NAME, false}', false, {}],
    ['a bare-word fallback (Serverless v2 style)', 'v: ${opt:color, blue}', 'blue', {}],
    ['a chain of fallbacks', "v: ${env:A, env:B, 'c'}", 'from-b', { env: { B: 'from-b' } }],
    ['a nested variable as the fallback', 'v: ${env:A, ${self:x}}\nx: from-x', 'from-x', {}],
    ['a quoted fallback holding a comma and a brace', "v: ${env:A, 'a, b}'}", 'a, b}', {}],
    ['an unsupported source through its fallback', "v: ${ssm:/centli/key, 'offline'}", 'offline', {}],
    ['${aws:accountId}', 'v: ${aws:accountId}', '000000000000', {}],
    ['${aws:region} from the provider', "v: ${aws:region}\nprovider: { region: \"${opt:region, 'sa-east-1'}\" }", 'sa-east-1', {}],
  ])('resolves %s', (_name, yaml, expected, context) => {
    // Every row has a context: jest would take a fourth parameter missing from a row for `done`.
    expect(resolve(yaml, 'v', context)).toEqual(expected);
  });

  it('follows ${self:} paths recursively', () => {
    // Prepare
    const yaml = ['v: ${self:custom.table}', 'custom:', '  base: centli-${sls:stage}', '  table: ${self:custom.base}-accounts'].join('\n');

    // Act / Assess
    expect(resolve(yaml, 'v')).toBe('centli-local-accounts');
  });

  it('keeps the type of a value that is the whole string', () => {
    // Prepare
    const yaml = [
      'retryPolicy: ${self:custom.delivery}',
      'bus: ${self:custom.bus.name}',
      'flag: ${self:custom.flag}',
      'custom:',
      '  delivery: { maximumEventAge: 3600, maximumRetryAttempts: 10 }',
      '  bus:',
      '    name: !ImportValue centli-event-bus-name-${sls:stage}',
      '  flag: false',
    ].join('\n');

    // Act / Assess
    expect(resolve(yaml, 'retryPolicy')).toEqual({ maximumEventAge: 3600, maximumRetryAttempts: 10 });
    expect(resolve(yaml, 'bus')).toEqual({ 'Fn::ImportValue': 'centli-event-bus-name-local' });
    expect(resolve(yaml, 'flag')).toBe(false);
  });

  it('interpolates variables embedded in a longer string', () => {
    expect(resolve('v: ${self:a}-${sls:stage}-${self:n}\na: x\nn: 3', 'v')).toBe('x-local-3');
  });

  it('resolves variables inside a variable address', () => {
    // Prepare
    const yaml = 'v: ${self:custom.size.${sls:stage}, 1}\ncustom: { size: { local: 2, prod: 8 } }';

    // Act / Assess
    expect(resolve(yaml, 'v')).toBe(2);
    expect(resolve(yaml, 'v', { stage: 'dev' })).toBe(1);
  });

  it.each([
    ['the stage block', 'prod', true],
    ['the default block', 'local', false],
  ])('reads ${param:} from %s', (_name, stage, expected) => {
    // Prepare
    const yaml = 'v: ${param:deletionProtection}\nparams: { default: { deletionProtection: false }, prod: { deletionProtection: true } }';

    // Act / Assess
    expect(resolve(yaml, 'v', { stage })).toBe(expected);
  });

  it('lets command-line params win over the params block', () => {
    expect(resolve('v: ${param:size}\nparams: { default: { size: small } }', 'v', { params: { size: 'large' } })).toBe('large');
  });

  it('leaves CloudFormation placeholders in a Fn::Sub alone', () => {
    // Prepare
    const yaml = 'v: !Sub arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/bus-${sls:stage}/* ${EventBus.Arn} ${!Literal}';

    // Act / Assess
    expect(resolve(yaml, 'v')).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/bus-local/* ${EventBus.Arn} ${!Literal}',
    });
  });

  it('resolves a whole subtree, returning undefined for a missing path', () => {
    // Prepare
    const yaml = 'provider: { environment: { TABLE: "t-${sls:stage}", LEVEL: INFO } }';

    // Act / Assess
    expect(resolve(yaml, 'provider.environment')).toEqual({ TABLE: 't-local', LEVEL: 'INFO' });
    expect(resolve(yaml, 'provider.timeout')).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    ['an unset variable without a fallback', 'v: ${env:MISSING}', /^v: cannot resolve \$\{env:MISSING\} \(env:MISSING is not set\)/],
    ['a missing self path', 'v: ${self:custom.nope}', /cannot resolve \$\{self:custom\.nope\}/],
    ['an unsupported source', 'v: ${ssm:/centli/key}', /the ssm source is not available offline/],
    ['a circular reference', 'v: ${self:a}\na: ${self:b}\nb: ${self:a}', /circular variable reference through \$\{self:a\}/],
    ['an object embedded in a string', 'v: x-${self:o}\no: { a: 1 }', /cannot be embedded in the string "x-\$\{self:o\}"/],
  ])('refuses %s, naming the path and the variable', (_name, yaml, message) => {
    expect(() => resolve(yaml, 'v')).toThrow(message);
  });
});

describe('VariableResolver: ${file(path):address}', () => {
  // A service directory two levels under a root holding the shared file, as in the repository.
  const root = mkdtempSync(join(tmpdir(), 'centli-variables-'));
  const serviceDir = join(root, 'services', 'demo');
  const common = [
    'provider:',
    '  timeout: 10',
    "  stage: ${opt:stage, 'local'}",
    'bus:',
    '  name: !ImportValue bus-name-${sls:stage}',
    '  arn: !Sub arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/bus-${sls:stage}',
    'frontDoors: [centli.agent-gateway, centli.mcp]',
    'tables:',
    '  local: { deletionPolicy: Delete }',
    '  other: { deletionPolicy: Retain }',
    'service: ${self:service}',
  ].join('\n');
  const resolveIn = (yaml: string, path: string, context: Partial<VariableContext> = {}) => resolve(yaml, path, { serviceDir, ...context });

  beforeAll(() => {
    mkdirSync(serviceDir, { recursive: true });
    writeFileSync(join(root, 'common.yml'), common);
    writeFileSync(join(root, 'settings.json'), JSON.stringify({ limits: { daily: 100 } }));
    writeFileSync(join(root, 'values.js'), 'module.exports.arns = () => [];');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each<[string, string, unknown, Partial<VariableContext>]>([
    ['a value, keeping its type', 'v: ${file(../../common.yml):provider.timeout}', 10, {}],
    ['a list', 'v: ${file(../../common.yml):frontDoors}', ['centli.agent-gateway', 'centli.mcp'], {}],
    ['a CloudFormation tag in long form, its variables resolved for the stage', 'v: ${file(../../common.yml):bus.name}', { 'Fn::ImportValue': 'bus-name-prod' }, { stage: 'prod' }],
    [
      'a !Sub, leaving its CloudFormation placeholders alone',
      'v: ${file(../../common.yml):bus.arn}',
      { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/bus-local' },
      {},
    ],
    ["an option's fallback inside the file", 'v: ${file(../../common.yml):provider.stage}', 'dev', { stage: 'dev' }],
    ['${self:} inside the file, from the including serverless.yml', 'service: demo\nv: ${file(../../common.yml):service}', 'demo', {}],
    ['a variable in the address', 'v: ${file(../../common.yml):tables.${sls:stage}.deletionPolicy}', 'Delete', {}],
    ['a missing address through its fallback', "v: ${file(../../common.yml):tables.${sls:stage}, file(../../common.yml):tables.other}", { deletionPolicy: 'Retain' }, { stage: 'prod' }],
    ['a missing file through its fallback', "v: ${file(../../nope.yml):x, 'fallback'}", 'fallback', {}],
    ['a JSON file', 'v: ${file(../../settings.json):limits.daily}', 100, {}],
    ['a value embedded in a longer string', 'v: t-${file(../../common.yml):provider.timeout}s', 't-10s', {}],
  ])('reads %s', (_name, yaml, expected, context) => {
    expect(resolveIn(yaml, 'v', context)).toEqual(expected);
  });

  it('reads the whole file when there is no address', () => {
    // Act
    const whole = resolveIn('v: ${file(../../settings.json)}', 'v');

    // Assess
    expect(whole).toEqual({ limits: { daily: 100 } });
  });

  it('resolves paths against the directory of the serverless.yml, not the working directory', () => {
    // Act / Assess: the same variable, from a serverless.yml one directory off, finds nothing.
    expect(() => resolve('v: ${file(../../common.yml):provider.timeout}', 'v', { serviceDir: join(root, 'elsewhere') })).toThrow(/file\(\.\.\/\.\.\/common\.yml:provider\.timeout\) is not set/);
  });

  it.each<[string, string, RegExp]>([
    ['a missing address', 'v: ${file(../../common.yml):provider.nope}', /cannot resolve \$\{file\(\.\.\/\.\.\/common\.yml\):provider\.nope\} \(file\(\.\.\/\.\.\/common\.yml:provider\.nope\) is not set\)/],
    ['a missing file', 'v: ${file(../../nope.yml):x}', /file\(\.\.\/\.\.\/nope\.yml:x\) is not set/],
    ['a JavaScript file (osls runs it, the local stack does not)', 'v: ${file(../../values.js):arns}', /file\(\.\.\/\.\.\/values\.js\) is JavaScript, which is not run offline/],
  ])('refuses %s without a fallback, naming the variable', (_name, yaml, message) => {
    expect(() => resolveIn(yaml, 'v')).toThrow(message);
  });
});

describe("VariableResolver on the repository's serverless.yml files", () => {
  it.each(findServerlessFiles().map((file) => [relative(REPOSITORY_ROOT, file), file]))(
    'resolves the shared configuration %s pulls in for every stage',
    (_name, file) => {
      // Prepare
      const document = parseCloudFormationYaml(readFileSync(file, 'utf8'), file) as Record<string, unknown>;

      // Act / Assess: each stage gets the shared provider defaults, and a service its shared custom blocks.
      for (const stage of ['local', 'dev', 'prod']) {
        const resolver = new VariableResolver(document, { stage, env: {}, serviceDir: dirname(file) });
        expect(resolver.resolveAt('provider.region')).toBe('us-east-1');
        expect(resolver.resolveAt('provider.stage')).toBe(stage);
        if (file.includes('services')) {
          expect(resolver.resolveAt('provider.logRetentionInDays')).toBe(7);
          expect(resolver.resolveAt('custom.esbuild')).toMatchObject({ bundle: true, keepNames: true, target: 'node22' });
          expect(resolver.resolveAt('custom.tables.deletionPolicy')).toBe(stage === 'local' || stage === 'dev' ? 'Delete' : 'Retain');
        }
      }
    },
  );
});
