/**
 * The voice stack's Amazon Connect resources, read off the packaged templates: present in every
 * template but created only when the stage names an instance (`--param connectInstanceArn`), and
 * the flow only with a bot alias too; Connect may invoke authenticate-caller only from that
 * instance; the flow's Content is services/voice/contact-flows/centli-inbound.json as written,
 * with the function's ARN and the bot alias substituted by the template. The last block resolves
 * the voice service as `npm run deploy -- --voice` deploys it, with an instance and a bot alias.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplates, type Resource, type Template } from './templates';

interface Packaged {
  Parameters?: Record<string, { Type: string; Default: string; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource & { Condition?: string }>;
}

const FUNCTION = { 'Fn::GetAtt': ['AuthenticateDashcallerLambdaFunction', 'Arn'] };
const voice = (templates: Template[]) => templates.find((template) => template.service === 'voice') as Template;
const read = (template: Template) => JSON.parse(readFileSync(template.file, 'utf8')) as Packaged;
const flowFile = join(__dirname, '../../services/voice/contact-flows/centli-inbound.json');

describe.each([
  ['the checked stage', voice(loadTemplates('checked'))],
  ['prod', voice(loadTemplates('prod'))],
])('the voice stack in %s', (_stage, template) => {
  const packaged = read(template);

  it('takes the instance and the bot alias as parameters, empty unless the stage names them, and conditions Connect on them', () => {
    expect(packaged.Parameters?.ConnectInstanceArn).toMatchObject({ Type: 'String', Default: '' });
    expect(packaged.Parameters?.VoiceBotAliasArn).toMatchObject({ Type: 'String', Default: '' });
    expect(packaged.Conditions).toEqual({
      HasConnectInstance: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ConnectInstanceArn' }, ''] }] },
      HasVoiceBot: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'VoiceBotAliasArn' }, ''] }] },
      HasContactFlow: { 'Fn::And': [{ Condition: 'HasConnectInstance' }, { Condition: 'HasVoiceBot' }] },
    });
  });

  it('lets only the named instance, in this account, invoke authenticate-caller, and lists the function in it', () => {
    const permission = packaged.Resources.AuthenticateCallerConnectPermission;
    expect(permission).toMatchObject({ Type: 'AWS::Lambda::Permission', Condition: 'HasConnectInstance' });
    expect(permission?.Properties).toEqual({ FunctionName: FUNCTION, Action: 'lambda:InvokeFunction', Principal: 'connect.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: { Ref: 'ConnectInstanceArn' } });
    expect(packaged.Resources.AuthenticateCallerIntegration).toEqual({
      Type: 'AWS::Connect::IntegrationAssociation',
      Condition: 'HasConnectInstance',
      Properties: { InstanceId: { Ref: 'ConnectInstanceArn' }, IntegrationType: 'LAMBDA_FUNCTION', IntegrationArn: FUNCTION },
    });
  });

  it('creates the inbound flow from the JSON in the repository, the function and bot alias substituted', () => {
    const flow = packaged.Resources.InboundContactFlow;
    expect(flow).toMatchObject({ Type: 'AWS::Connect::ContactFlow', Condition: 'HasContactFlow' });
    expect(flow?.Properties).toMatchObject({ InstanceArn: { Ref: 'ConnectInstanceArn' }, Type: 'CONTACT_FLOW', Name: expect.stringMatching(/^centli-inbound-/) });
    const [content, variables] = (flow?.Properties?.Content as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    expect(JSON.parse(content)).toEqual(JSON.parse(readFileSync(flowFile, 'utf8')));
    expect(variables).toEqual({ AuthenticateCallerArn: FUNCTION, VoiceBotAliasArn: { Ref: 'VoiceBotAliasArn' } });
    // Fn::Sub substitutes every ${Name} it finds: the flow has no other.
    expect([...new Set([...content.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]))].sort()).toEqual(['AuthenticateCallerArn', 'VoiceBotAliasArn']);
  });
});

describe('the voice stack resolved for a stage with a Connect instance and a bot alias', () => {
  const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555';
  const BOT = 'arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID';
  const serviceDir = join(__dirname, '../../services/voice');
  let resources: Packaged;

  beforeAll(() => {
    // Prepare: `sls print` resolves serverless.yml as `sls deploy` would, offline; unlike `sls package`
    // it leaves `.serverless/` (the templates the other policy tests read) alone.
    const sls = join(__dirname, '../../node_modules/.bin/sls');
    const run = spawnSync(sls, ['print', '--stage', 'prod', '--param', `connectInstanceArn=${INSTANCE}`, '--param', `voiceBotAliasArn=${BOT}`, '--format', 'json'], { cwd: serviceDir, encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`sls print failed: ${run.stderr || run.stdout}`);
    resources = (JSON.parse(run.stdout) as { resources: Packaged }).resources;
  }, 150_000);

  it('gives the stack the instance and the bot alias, in the form the parameters allow, so all three Connect resources are created', () => {
    const parameters = resources.Parameters ?? {};
    expect(parameters.ConnectInstanceArn?.Default).toBe(INSTANCE);
    expect(parameters.VoiceBotAliasArn?.Default).toBe(BOT);
    expect(INSTANCE).toMatch(new RegExp(parameters.ConnectInstanceArn?.AllowedPattern as string));
    expect(BOT).toMatch(new RegExp(parameters.VoiceBotAliasArn?.AllowedPattern as string));
    expect(['InboundContactFlow', 'AuthenticateCallerConnectPermission', 'AuthenticateCallerIntegration'].map((id) => resources.Resources[id]?.Condition)).toEqual(['HasContactFlow', 'HasConnectInstance', 'HasConnectInstance']);
  });

  it('substitutes nothing but the template’s own two names into the flow', () => {
    const [content, variables] = (resources.Resources.InboundContactFlow?.Properties?.Content as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    expect(JSON.parse(content)).toEqual(JSON.parse(readFileSync(flowFile, 'utf8')));
    expect(variables).toEqual({ AuthenticateCallerArn: FUNCTION, VoiceBotAliasArn: { Ref: 'VoiceBotAliasArn' } });
  });
});
