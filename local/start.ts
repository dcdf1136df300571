/**
 * `npm start`: runs the local stack until Ctrl-C.
 *
 *   npm start [-- --port 4010] [-- --no-seed] [-- --stage local] [-- --log-level DEBUG]
 *
 * Environment: CENTLI_STATE_FILE (where the endpoints are written, `.centli/local.json` by
 * default), CENTLI_LOG_LEVEL (the handlers' POWERTOOLS_LOG_LEVEL), CENTLI_PARAMS (`--param`
 * values, comma-separated: `intentEngine=bedrock`).
 *
 * Once everything is up it prints the endpoints and then one line for programs,
 * `CENTLI_READY {"dynamodb":...,"eventbridge":...,"http":...,"region":...}`.
 *
 * @module
 */
import { resolve } from 'node:path';
import { DEFAULT_RATES, parseRates } from './chaos';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './stack';

const USAGE = `usage: npm start -- [--port <port>] [--no-seed] [--stage <stage>] [--param <name=value>]... [--log-level <level>] [--chaos <seed> [--chaos-rates <kind=rate,...>]]
  --port        the event bus's port; DynamoDB Local takes the next one (default: free ports)
  --no-seed     start with empty tables
  --stage       the stage serverless.yml is resolved for (default: local)
  --param       a serverless.yml param for every service, over its params block, as \`sls --param\` (or CENTLI_PARAMS,
                comma-separated); e.g. intentEngine=bedrock runs the chat's Bedrock engine against a local Converse
                endpoint (AWS_ENDPOINT_URL_BEDROCK_RUNTIME, or the stack's own, local/bedrock-runtime.ts)
  --log-level   the handlers' POWERTOOLS_LOG_LEVEL (or CENTLI_LOG_LEVEL)
  --chaos       inject the faults AWS produces, reproducibly from this seed (or CENTLI_CHAOS)
  --chaos-rates override fault rates, e.g. duplicate=0.3,fail-after=0.1 (kinds: ${Object.keys(DEFAULT_RATES).join(', ')})
  CENTLI_STATE_FILE  where to write the endpoints (default: .centli/local.json)`;

/**
 * Reads the stack's options from the command line and the environment.
 *
 * @throws Error with the usage when an argument is unknown or malformed.
 */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LocalStackOptions & { help?: boolean } {
  const options: LocalStackOptions & { help?: boolean } = {};
  if (env.CENTLI_STATE_FILE) options.stateFile = resolve(env.CENTLI_STATE_FILE);
  if (env.CENTLI_LOG_LEVEL) options.logLevel = env.CENTLI_LOG_LEVEL;
  if (env.CENTLI_CHAOS) options.chaos = { seed: seedOf(env.CENTLI_CHAOS) };
  if (env.CENTLI_CHAOS_RATES && options.chaos) options.chaos.rates = ratesOf(env.CENTLI_CHAOS_RATES);
  if (env.CENTLI_PARAMS) for (const pair of env.CENTLI_PARAMS.split(',').filter(Boolean)) options.params = { ...options.params, ...paramOf(pair) };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const value = () => {
      const given = inline ?? argv[++index];
      if (given === undefined || given === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return given;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65534) throw new Error(`--port must be an integer from 0 to 65534\n${USAGE}`);
        options.port = port;
        break;
      }
      case '--no-seed':
        options.seed = false;
        break;
      case '--stage':
        options.stage = value();
        break;
      case '--param':
        options.params = { ...options.params, ...paramOf(value()) };
        break;
      case '--log-level':
        options.logLevel = value();
        break;
      case '--chaos':
        options.chaos = { ...options.chaos, seed: seedOf(value()) };
        break;
      case '--chaos-rates': {
        const rates = ratesOf(value());
        options.chaos = { seed: options.chaos?.seed ?? 1, ...options.chaos, rates };
        break;
      }
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown argument ${argument}\n${USAGE}`);
    }
  }
  return options;
}

function ratesOf(text: string): ReturnType<typeof parseRates> {
  try {
    return parseRates(text);
  } catch (error) {
    throw new Error(`--chaos-rates: ${(error as Error).message}\n${USAGE}`, { cause: error });
  }
}

function paramOf(text: string): Record<string, string> {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--param takes name=value, got ${text}\n${USAGE}`);
  return { [text.slice(0, at).trim()]: text.slice(at + 1).trim() };
}

function seedOf(text: string): number {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--chaos needs a non-negative integer seed, got ${text}\n${USAGE}`);
  return seed;
}

/** The banner printed once the stack is up. */
export function describeStack(stack: Pick<LocalStack, 'endpoints' | 'stateFile'> & { busName: string; stage: string }): string {
  const { endpoints } = stack;
  const detail = JSON.stringify({ request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' });
  // The source a real producer uses: the chat gateway, one of the two front doors the rules accept.
  const entries = JSON.stringify([{ EventBusName: stack.busName, Source: 'centli.agent-gateway', DetailType: 'BALANCE_QUERY', Detail: detail }]);
  const stateFile = stack.stateFile ?? '.centli/local.json';
  const rows: Array<[string, string]> = [
    ['EventBridge', `${endpoints.eventbridge}  (PutEvents, bus ${stack.busName})`],
    ['Events', `${endpoints.http}/events  /dead-letters  /health  /executions`],
    ['DynamoDB', endpoints.dynamodb],
    ...(endpoints.mcp ? ([['MCP', `${endpoints.mcp}  (Streamable HTTP: a client that supports MCP authorization needs only this URL; or Authorization: Bearer <token>)`]] as Array<[string, string]>) : []),
    ...(endpoints.websocket ? ([['WebSocket', `${endpoints.websocket}?token=<token>`]] as Array<[string, string]>) : []),
    ...(endpoints.spei ? ([['SPEI', `${endpoints.spei}/incoming  (a payment from another bank arriving: POST { clabe, amount, sender_name, sender_bank, concepto, clave_rastreo })`]] as Array<[string, string]>) : []),
    ...(endpoints.bedrock ? ([['Bedrock', `${endpoints.bedrock}  (Converse for the Bedrock intent engine: answers as the parser reads, local/bedrock-runtime.ts)`]] as Array<[string, string]>) : []),
    ['Region', endpoints.region],
    ['State file', `${stack.stateFile ?? '(none)'}  (endpoints, and a demo token per seeded customer under "tokens")`],
  ];
  return [
    `Centli local stack is up (stage ${stack.stage})`,
    '',
    ...rows.map(([name, value]) => `  ${name.padEnd(13)}${value}`),
    '',
    'Put an event:',
    `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws events put-events --endpoint-url ${endpoints.eventbridge} --region ${endpoints.region} \\`,
    `    --entries '${entries}'`,
    'See what happened:',
    `  curl '${endpoints.http}/events?correlation_id=corr-1'`,
    ...(endpoints.mcp ? ['MCP over stdio, as a desktop client runs it:', `  CENTLI_TOKEN=$(jq -r '.tokens["user-ana"]' ${stateFile}) npm run mcp`] : []),
    '',
    'Ctrl-C stops everything.',
    ...(endpoints.chat ? ['', `Chat page: ${endpoints.chat}`] : []),
  ].join('\n');
}

/** Ends the process now: the stack holds servers and a child process that would keep it alive. */
const terminate: (code: number) => never = process.exit.bind(process);

async function main(): Promise<void> {
  let options: ReturnType<typeof parseArguments>;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    terminate(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let stack: LocalStack | undefined;
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    // Interrupted while starting: exiting kills DynamoDB Local (see dynamodb.ts).
    if (!stack) terminate(130);
    if (stoppingSince !== undefined) {
      // tsx relays a signal again when the child does not acknowledge it within 30 ms: only a
      // second Ctrl-C from a person, well after the first, means "do not wait".
      if (Date.now() - stoppingSince < 1000) return;
      process.stderr.write(`[centli] ${signal} again: exiting without waiting\n`);
      terminate(1);
    }
    stoppingSince = Date.now();
    process.stderr.write(`[centli] ${signal}: stopping\n`);
    stack.stop().then(
      () => terminate(0),
      (error: unknown) => {
        process.stderr.write(`[centli] ${(error as Error).message}\n`);
        terminate(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    stack = await startLocalStack(options);
  } catch (error) {
    process.stderr.write(`[centli] the local stack did not start: ${(error as Error).message}\n`);
    terminate(1);
  }
  process.stdout.write(`${describeStack({ ...stack, busName: stack.bus.busName, stage: options.stage ?? 'local' })}\n`);
  process.stdout.write(`CENTLI_READY ${JSON.stringify(stack.endpoints)}\n`);
}

if (require.main === module) void main();
