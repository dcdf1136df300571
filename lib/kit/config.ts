/**
 * Handlers learn every endpoint from configuration: the AWS SDK reads AWS_ENDPOINT_URL_<SERVICE>
 * itself, and table and bus names come from the environment serverless.yml sets. In AWS
 * nothing here changes a thing. Under `sls invoke local` (IS_LOCAL=true) with no endpoint set,
 * the endpoints of the running local stack are taken from the .centli/local.json it wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`environment variable ${name} must be an integer, got ${raw}`);
  return value;
}

/** What a running local stack writes to `.centli/local.json`. */
export interface LocalStackFile {
  dynamodb: string;
  eventbridge: string;
  /** The stack's one HTTP server: the bus's read API, Lambda, Step Functions, KMS, SSM's GetParameter, `@connections`. */
  http: string;
  region?: string;
  /** The issuer of the stack's demo tokens (its JWKS is at `<issuer>/.well-known/jwks.json`). */
  issuer?: string;
  /** The MCP server's Streamable HTTP URL. */
  mcp?: string;
  /** The chat's WebSocket URL (connect with `?token=`). */
  websocket?: string;
  /** The chat page. */
  chat?: string;
  /** The approval page, where a customer approves what an agent asked for (beside the chat page). */
  approvals?: string;
  /** The SPEI participant stand-in (`POST <spei>/incoming` simulates a payment arriving). */
  spei?: string;
  /** A demo token for each seeded customer, by user_id. */
  tokens?: Record<string, string>;
  /** The Lex V2 runtime (RecognizeText), when the stack serves a bot. */
  lex?: string;
  /** The stack's Bedrock Converse stand-in, when its handlers run the Bedrock intent engine. */
  bedrock?: string;
  /** The Lex V2 bot aliases the stack serves: what a Lex runtime client names (botId, botAliasId). */
  bots?: Array<{ botId: string; botName: string; botAliasId: string; botAliasName: string; aliasArn: string; aliasLogicalId: string; locales: string[] }>;
}

/** The running local stack's state file, or undefined when none is found from `start` upwards. */
export function readLocalStackFile(start = process.cwd()): LocalStackFile | undefined {
  const file = findLocalStackFile(start);
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as LocalStackFile) : undefined;
}

/** The running stack's state file: CENTLI_STATE_FILE when set (as the stack itself reads it), else .centli/local.json from `start` upwards. */
export function findLocalStackFile(start = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CENTLI_STATE_FILE) return existsSync(env.CENTLI_STATE_FILE) ? env.CENTLI_STATE_FILE : undefined;
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, '.centli', 'local.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

let applied = false;

/** Points the SDK at the local stack when running under `sls invoke local`; a no-op elsewhere. */
export function applyLocalEndpoints(env: NodeJS.ProcessEnv = process.env): void {
  if (applied || env.IS_LOCAL !== 'true') return;
  applied = true;
  const stack = readLocalStackFile();
  if (stack) useLocalStack(stack, env);
}

/**
 * Sets, where nothing is set yet, the endpoints and the token issuer of a running local stack:
 * what `sls invoke local` and the stdio MCP server need to reach it.
 */
export function useLocalStack(stack: LocalStackFile, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ENDPOINT_URL_DYNAMODB ??= stack.dynamodb;
  env.AWS_ENDPOINT_URL_EVENTBRIDGE ??= stack.eventbridge;
  // The stack's HTTP server also answers the Step Functions, Lambda, KMS and
  // API Gateway management APIs for the functions it runs.
  env.AWS_ENDPOINT_URL_SFN ??= stack.http;
  env.AWS_ENDPOINT_URL_LAMBDA ??= stack.http;
  env.AWS_ENDPOINT_URL_KMS ??= stack.http;
  env.AWS_ENDPOINT_URL_SSM ??= stack.http;
  env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI ??= stack.http;
  if (stack.lex) env.AWS_ENDPOINT_URL_LEX_RUNTIME_V2 ??= stack.lex;
  if (stack.bedrock) env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ??= stack.bedrock;
  if (stack.issuer && !env.CENTLI_AUTH_ISSUER) env.CENTLI_AUTH_ISSUER = stack.issuer;
  if (stack.approvals && !env.CENTLI_APPROVAL_PAGE) env.CENTLI_APPROVAL_PAGE = stack.approvals;
  // The MCP endpoint as an OAuth resource, and the stack's issuer as its authorization server.
  if (stack.mcp && !env.CENTLI_MCP_RESOURCE) env.CENTLI_MCP_RESOURCE = stack.mcp;
  if (stack.issuer && !env.CENTLI_AUTHORIZATION_SERVER) env.CENTLI_AUTHORIZATION_SERVER = stack.issuer;
  env.AWS_REGION ??= stack.region ?? 'us-east-1';
  // DynamoDB Local and the local bus accept any credentials; the SDK insists on some.
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = 'local';
    env.AWS_SECRET_ACCESS_KEY = 'local';
  }
}
