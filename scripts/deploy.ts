/**
 * Deploys every service of a stage in dependency order, or removes them in reverse:
 *
 *   npm run deploy -- --stage dev [--region eu-west-1] [--vpc] [--only core-banking,crm] [--dry-run]
 *                     [--voice --connect-instance <instance arn>]
 *   npm run remove -- --stage dev [--vpc] [--force] [--dry-run]
 *
 * The platform (the bus, its DLQ and alarms, the user pool, the chat page's bucket and CDN) goes
 * first: every service imports its exports. Core Banking, CRM and Marketplace follow (the saga
 * calls Core Banking's payment functions), then Cards, then the MCP server (its tools call the
 * services' functions by name), the platform once more with `--param mcpTokenTrigger=true` (its
 * user pool then runs the MCP service's pre token generation trigger, which exists only now; a
 * run without the MCP service passes it to the platform's one step), and the chat gateway.
 * After the gateway, the chat page is
 * published to the platform's bucket with the stage's WebSocket URL (scripts/publish-chat.ts).
 * With the stage's private network on (`--vpc`, or `network.vpc.<stage>: 'true'` in
 * serverless.common.yml), the network stack (services/network) goes right after the platform,
 * every service is deployed with `--param vpc=true`, and removal takes the network down after
 * the services (Lambda releases its network interfaces slowly: that step can take many minutes).
 * With `--voice`, the voice service is deployed into the user's Amazon Connect instance
 * (`--param connectInstanceArn`): the instance may invoke authenticate-caller and the stack's own
 * Lex bot, and the inbound contact flow, which hands verified callers to that bot, is created in it.
 * Without `--voice` the voice service deploys without any Connect resource.
 * Before Core Banking, the stage's SPEI signing secret (an SSM SecureString, which CloudFormation
 * cannot create) is created if it does not exist (scripts/spei-secret.ts).
 * Each step is `sls deploy` in the service's folder, exactly what deploying one service alone
 * is. Removing a protected stage (prod, production, CENTLI_PROTECTED_STAGES) needs --force.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudFormationYaml } from '../local/cloudformation-yaml';
import { protectedStages } from '../seed/load';
import { ensureSpeiSigningSecret, speiSecretParameter } from './spei-secret';

export interface Service {
  name: string;
  /** The folder `sls` runs in, relative to the repository. */
  dir: string;
}

/** Dependency order: each service imports only from those before it. */
export const SERVICES: readonly Service[] = [
  { name: 'platform', dir: '.' },
  { name: 'network', dir: 'services/network' },
  { name: 'core-banking', dir: 'services/core-banking' },
  { name: 'crm', dir: 'services/crm' },
  { name: 'marketplace', dir: 'services/marketplace' },
  { name: 'cards', dir: 'services/cards' },
  { name: 'mcp', dir: 'services/mcp' },
  { name: 'agent-gateway', dir: 'services/agent-gateway' },
  { name: 'voice', dir: 'services/voice' },
];

export interface Options {
  command: 'deploy' | 'remove';
  stage: string;
  region?: string;
  only?: string[];
  /** The stage's private network (services/network), and every function in it. */
  vpc: boolean;
  force: boolean;
  dryRun: boolean;
  /** The telephone door: the user's Amazon Connect instance (the bot is the voice stack's own). */
  voice?: { connectInstance: string };
}

export interface Step {
  service: string;
  dir: string;
  argv: string[];
}

const USAGE = `usage: npm run deploy -- --stage <stage> [--region <region>] [--vpc] [--only <service,...>] [--dry-run]
                         [--voice --connect-instance <instance arn>]
       npm run remove -- --stage <stage> [--region <region>] [--vpc] [--only <service,...>] [--force] [--dry-run]
services, in deploy order: ${SERVICES.map((s) => s.name).join(', ')}`;

/** Whether serverless.common.yml turns the stage's private network on (`network.vpc.<stage>`). */
export function stageVpc(stage: string, commonFile = join(__dirname, '..', 'serverless.common.yml')): boolean {
  const common = parseCloudFormationYaml(readFileSync(commonFile, 'utf8'), commonFile) as { network?: { vpc?: Record<string, unknown> } };
  const setting = common.network?.vpc?.[stage] ?? common.network?.vpc?.other;
  return String(setting) === 'true';
}

/** What the voice stack's parameters accept (services/voice/serverless.yml, AllowedPattern). */
const CONNECT_INSTANCE_ARN = /^arn:[\w-]+:connect:[\w-]+:\d{12}:instance\/[\w-]+$/;

export function parseArguments(command: Options['command'], argv: readonly string[]): Options {
  const options: Options = { command, stage: '', vpc: false, force: false, dryRun: false };
  let voice = false;
  let connectInstance: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] as string;
    const value = () => {
      const next = argv[++index];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--stage') options.stage = value();
    else if (flag === '--region') options.region = value();
    else if (flag === '--only') options.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--force') options.force = true;
    else if (flag === '--vpc') options.vpc = true;
    else if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--voice') voice = true;
    else if (flag === '--connect-instance') connectInstance = value();
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(options.stage)) throw new Error(`--stage must be lower-case letters, digits and dashes (at most 16), got "${options.stage}"\n${USAGE}`);
  if (!options.vpc && stageVpc(options.stage)) options.vpc = true;
  if (connectInstance !== undefined && !voice) throw new Error(`--connect-instance goes with --voice\n${USAGE}`);
  if (voice) {
    if (command !== 'deploy') throw new Error(`--voice is for deploy: removing the voice service removes its Connect resources\n${USAGE}`);
    if (connectInstance === undefined) throw new Error(`--voice needs --connect-instance <instance arn>: the Amazon Connect instance is yours\n${USAGE}`);
    if (!CONNECT_INSTANCE_ARN.test(connectInstance)) throw new Error(`--connect-instance must be an instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got "${connectInstance}"\n${USAGE}`);
    options.voice = { connectInstance };
  }
  const unknown = (options.only ?? []).filter((name) => !SERVICES.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}\n${USAGE}`);
  return options;
}

/**
 * The `sls` runs, in order: dependency order to deploy, the reverse to remove.
 *
 * @throws Error for removing a protected stage without `force`.
 */
export function plan(options: Options, env: NodeJS.ProcessEnv = process.env): Step[] {
  if (options.command === 'remove' && protectedStages(env).has(options.stage) && !options.force) {
    throw new Error(`stage ${options.stage} is protected: its books are real. Refusing to remove it; pass --force if you truly mean to.`);
  }
  const chosen = SERVICES.filter((s) => (!options.only || options.only.includes(s.name)) && (s.name !== 'network' || options.vpc));
  const ordered = options.command === 'deploy' ? chosen : [...chosen].reverse();
  const step = (service: Service, extra: string[] = []): Step => ({
    service: service.name,
    dir: service.dir,
    argv: [
      'sls',
      options.command,
      '--stage',
      options.stage,
      ...(options.region ? ['--region', options.region] : []),
      ...(options.vpc && service.name !== 'network' && service.name !== 'platform' ? ['--param', 'vpc=true'] : []),
      ...(options.voice && service.name === 'voice' ? voiceParams(options.voice) : []),
      ...extra,
    ],
  });
  if (options.command === 'remove') return ordered.map((service) => step(service));
  // The user pool runs the MCP service's pre token generation trigger, which exists once the MCP
  // service is deployed: with both in the run, the platform goes again right after the MCP service
  // to name it; without the MCP service, the platform names the one deployed before.
  const withMcp = ordered.some((service) => service.name === 'mcp');
  return ordered.flatMap((service) => {
    if (service.name === 'platform') return [step(service, withMcp ? [] : TOKEN_TRIGGER)];
    const platform = SERVICES.find((s) => s.name === 'platform') as Service;
    return service.name === 'mcp' && ordered.includes(platform) ? [step(service), step(platform, TOKEN_TRIGGER)] : [step(service)];
  });
}

/** The platform's parameter that makes the user pool run the MCP service's token trigger (serverless.yml). */
const TOKEN_TRIGGER = ['--param', 'mcpTokenTrigger=true'];

/** The voice service's `--param` for the user's Connect instance. */
function voiceParams(voice: NonNullable<Options['voice']>): string[] {
  return ['--param', `connectInstanceArn=${voice.connectInstance}`];
}

function run(step: Step, root: string): void {
  console.log(`\n▶ ${step.service}: ${step.argv.join(' ')}  (in ${step.dir})`);
  const result = spawnSync('npx', ['--no-install', ...step.argv], { cwd: join(root, step.dir), stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${step.service}: ${step.argv.join(' ')} failed (exit ${result.status ?? result.signal}); the services before it are ${step.argv[1] === 'deploy' ? 'deployed' : 'removed'}`);
}

async function main(command: Options['command'], argv: readonly string[]): Promise<void> {
  const options = parseArguments(command, argv);
  const steps = plan(options);
  const root = join(__dirname, '..');
  if (options.dryRun) {
    for (const step of steps) console.log(`(cd ${step.dir} && npx ${step.argv.join(' ')})`);
    if (command === 'deploy' && steps.some((s) => s.service === 'core-banking')) console.log(`# the SPEI signing secret ${speiSecretParameter(options.stage)} is created if the stage has none`);
    if (command === 'deploy' && steps.some((s) => s.service === 'agent-gateway')) console.log(`npm run publish:chat -- --stage ${options.stage}${options.region ? ` --region ${options.region}` : ''}`);
    return;
  }
  // The chat page's bucket must be empty before the platform stack can delete it.
  if (command === 'remove' && steps.some((s) => s.service === 'platform')) {
    const { emptyChatBucket } = await import('./publish-chat');
    const platformIndex = steps.findIndex((s) => s.service === 'platform');
    for (const step of steps.slice(0, platformIndex)) run(step, root);
    await emptyChatBucket({ stage: options.stage, ...(options.region ? { region: options.region } : {}) });
    run(steps[platformIndex] as Step, root);
    return;
  }
  // Core Banking reads the stage's SPEI signing secret, a SecureString CloudFormation cannot create.
  if (command === 'deploy' && steps.some((s) => s.service === 'core-banking')) {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const client = new SSMClient(options.region ? { region: options.region } : {});
    const outcome = await ensureSpeiSigningSecret(options.stage, client).finally(() => client.destroy());
    console.log(
      outcome === 'created'
        ? `\nCreated the SPEI signing secret ${speiSecretParameter(options.stage)}: give it to the SPEI participant (aws ssm get-parameter --with-decryption --name ${speiSecretParameter(options.stage)}).`
        : `\nThe SPEI signing secret ${speiSecretParameter(options.stage)} exists; kept.`,
    );
  }
  for (const step of steps) run(step, root);
  if (command === 'deploy' && steps.some((s) => s.service === 'agent-gateway')) {
    const { publishChatPage } = await import('./publish-chat');
    const published = await publishChatPage({ stage: options.stage, ...(options.region ? { region: options.region } : {}) });
    console.log(`\nThe chat page: ${published.url}`);
  }
}

if (require.main === module) {
  const [command, ...argv] = process.argv.slice(2);
  if (command !== 'deploy' && command !== 'remove') {
    console.error(USAGE);
    process.exitCode = 2;
  } else {
    main(command, argv).catch((error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 1;
    });
  }
}
