/**
 * The voice stack's Lex V2 bot and Amazon Connect resources, read off the packaged templates: the
 * bot (es_419 and en_US, every intent handed to the code hook) with its version, its `live` alias
 * whose code hook is bot-code-hook, and the permission that lets only that alias invoke it, always;
 * the Connect resources in every template but created only when the stage names an instance
 * (`--param connectInstanceArn`); Connect may invoke authenticate-caller only from that instance;
 * the flow's Content is services/voice/contact-flows/centli-inbound.json as written, with the
 * function's ARN and the bot alias substituted by the template. The last block resolves the voice
 * service as `npm run deploy -- --voice` deploys it, with an instance.
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
const CODE_HOOK = { 'Fn::GetAtt': ['BotDashcodeDashhookLambdaFunction', 'Arn'] };
const ALIAS = { 'Fn::GetAtt': ['VoiceBotAlias', 'Arn'] };
const LOCALES = ['es_419', 'en_US'];
const voice = (templates: Template[]) => templates.find((template) => template.service === 'voice') as Template;
const read = (template: Template) => JSON.parse(readFileSync(template.file, 'utf8')) as Packaged;
const flowFile = join(__dirname, '../../services/voice/contact-flows/centli-inbound.json');

describe.each([
  ['the checked stage', voice(loadTemplates('checked'))],
  ['prod', voice(loadTemplates('prod'))],
])('the voice stack in %s', (_stage, template) => {
  const packaged = read(template);

  it('takes the instance as its one parameter, empty unless the stage names it, and conditions Connect on it', () => {
    expect(packaged.Parameters?.ConnectInstanceArn).toMatchObject({ Type: 'String', Default: '' });
    expect(Object.keys(packaged.Parameters ?? {})).toEqual(['ConnectInstanceArn']);
    expect(packaged.Conditions).toEqual({ HasConnectInstance: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ConnectInstanceArn' }, ''] }] } });
  });

  it('holds the Lex V2 bot in Latin American Spanish and US English, every intent handed to the code hook, built on deploy', () => {
    const bot = packaged.Resources.VoiceBot;
    expect(bot).toMatchObject({ Type: 'AWS::Lex::Bot', Properties: { AutoBuildBotLocales: true, DataPrivacy: { ChildDirected: false }, RoleArn: { 'Fn::GetAtt': ['VoiceBotRole', 'Arn'] } } });
    expect(bot?.Condition).toBeUndefined();
    expect(bot?.Properties?.IdleSessionTTLInSeconds).toEqual(expect.any(Number));
    const locales = bot?.Properties?.BotLocales as Array<{ LocaleId: string; VoiceSettings: { VoiceId: string }; Intents: Array<Record<string, unknown>> }>;
    expect(locales.map((locale) => [locale.LocaleId, locale.VoiceSettings.VoiceId])).toEqual([['es_419', 'Mia'], ['en_US', 'Joanna']]);
    for (const locale of locales) {
      const custom = locale.Intents.filter((intent) => intent.ParentIntentSignature === undefined);
      const fallback = locale.Intents.filter((intent) => intent.ParentIntentSignature === 'AMAZON.FallbackIntent');
      expect([custom.length, fallback.length, locale.Intents.length]).toEqual([1, 1, 2]);
      expect(custom[0]).toMatchObject({ DialogCodeHook: { Enabled: true }, FulfillmentCodeHook: { Enabled: true }, SampleUtterances: expect.arrayContaining([{ Utterance: expect.any(String) }]) });
      expect(fallback[0]).toMatchObject({ Name: 'FallbackIntent', FulfillmentCodeHook: { Enabled: true } });
    }
  });

  it('lets only Lex V2 of this account take the bot’s role, which may only speak', () => {
    const role = packaged.Resources.VoiceBotRole?.Properties as { AssumeRolePolicyDocument: { Statement: Array<Record<string, unknown>> }; Policies: Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>; ManagedPolicyArns?: unknown };
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'lexv2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) }),
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies.flatMap((policy) => policy.PolicyDocument.Statement)).toEqual([{ Effect: 'Allow', Action: 'polly:SynthesizeSpeech', Resource: '*' }]);
  });

  it('serves a built version of both locales through the `live` alias, whose code hook in each is bot-code-hook', () => {
    const version = packaged.Resources.VoiceBotVersion;
    expect(version).toMatchObject({ Type: 'AWS::Lex::BotVersion', Properties: { BotId: { Ref: 'VoiceBot' } } });
    expect((version?.Properties?.BotVersionLocaleSpecification as Array<{ LocaleId: string }>).map((spec) => spec.LocaleId)).toEqual(LOCALES);
    const alias = packaged.Resources.VoiceBotAlias;
    expect(alias).toMatchObject({ Type: 'AWS::Lex::BotAlias', Properties: { BotId: { Ref: 'VoiceBot' }, BotAliasName: 'live', BotVersion: { 'Fn::GetAtt': ['VoiceBotVersion', 'BotVersion'] } } });
    expect(alias?.Properties?.BotAliasLocaleSettings).toEqual(
      LOCALES.map((LocaleId) => ({ LocaleId, BotAliasLocaleSetting: { Enabled: true, CodeHookSpecification: { LambdaCodeHook: { LambdaArn: CODE_HOOK, CodeHookInterfaceVersion: '1.0' } } } })),
    );
  });

  it('lets Lex V2 invoke the code hook for that alias only, in this account', () => {
    const permissions = Object.values(packaged.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Permission' && JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify(CODE_HOOK));
    expect(permissions.map((permission) => permission.Properties)).toEqual([{ FunctionName: CODE_HOOK, Action: 'lambda:InvokeFunction', Principal: 'lexv2.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: ALIAS }]);
    expect(permissions[0]?.Condition).toBeUndefined();
  });

  it('lists the bot alias in the named instance', () => {
    expect(packaged.Resources.VoiceBotIntegration).toEqual({
      Type: 'AWS::Connect::IntegrationAssociation',
      Condition: 'HasConnectInstance',
      Properties: { InstanceId: { Ref: 'ConnectInstanceArn' }, IntegrationType: 'LEX_BOT', IntegrationArn: ALIAS },
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

  it('creates the inbound flow from the JSON in the repository, the function and the stack’s bot alias substituted', () => {
    const flow = packaged.Resources.InboundContactFlow;
    expect(flow).toMatchObject({ Type: 'AWS::Connect::ContactFlow', Condition: 'HasConnectInstance' });
    expect(flow?.Properties).toMatchObject({ InstanceArn: { Ref: 'ConnectInstanceArn' }, Type: 'CONTACT_FLOW', Name: expect.stringMatching(/^centli-inbound-/) });
    const [content, variables] = (flow?.Properties?.Content as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    expect(JSON.parse(content)).toEqual(JSON.parse(readFileSync(flowFile, 'utf8')));
    expect(variables).toEqual({ AuthenticateCallerArn: FUNCTION, VoiceBotAliasArn: ALIAS });
    // Fn::Sub substitutes every ${Name} it finds: the flow has no other.
    expect([...new Set([...content.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]))].sort()).toEqual(['AuthenticateCallerArn', 'VoiceBotAliasArn']);
  });
});

describe('the voice stack resolved for a stage with a Connect instance', () => {
  const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555';
  const serviceDir = join(__dirname, '../../services/voice');
  let resources: Packaged;

  beforeAll(() => {
    // Prepare: `sls print` resolves serverless.yml as `sls deploy` would, offline; unlike `sls package`
    // it leaves `.serverless/` (the templates the other policy tests read) alone.
    const sls = join(__dirname, '../../node_modules/.bin/sls');
    const run = spawnSync(sls, ['print', '--stage', 'prod', '--param', `connectInstanceArn=${INSTANCE}`, '--format', 'json'], { cwd: serviceDir, encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`sls print failed: ${run.stderr || run.stdout}`);
    resources = (JSON.parse(run.stdout) as { resources: Packaged }).resources;
  }, 150_000);

  it('gives the stack the instance, in the form the parameter allows, so all four Connect resources are created', () => {
    const parameters = resources.Parameters ?? {};
    expect(parameters.ConnectInstanceArn?.Default).toBe(INSTANCE);
    expect(INSTANCE).toMatch(new RegExp(parameters.ConnectInstanceArn?.AllowedPattern as string));
    expect(['InboundContactFlow', 'AuthenticateCallerConnectPermission', 'AuthenticateCallerIntegration', 'VoiceBotIntegration'].map((id) => resources.Resources[id]?.Condition)).toEqual(['HasConnectInstance', 'HasConnectInstance', 'HasConnectInstance', 'HasConnectInstance']);
  });

  it('substitutes nothing but the template’s own two names into the flow', () => {
    const [content, variables] = (resources.Resources.InboundContactFlow?.Properties?.Content as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    expect(JSON.parse(content)).toEqual(JSON.parse(readFileSync(flowFile, 'utf8')));
    expect(variables).toEqual({ AuthenticateCallerArn: FUNCTION, VoiceBotAliasArn: ALIAS });
  });
});
