/**
 * Publishes the chat page (web/chat) to a deployed stage, or empties its bucket before the
 * platform stack is removed:
 *
 *   npm run publish:chat -- --stage dev [--region eu-west-1]
 *
 * The page is served from the platform's assets bucket, private behind CloudFront with origin
 * access control. It reads the stack outputs below, uploads every file of web/chat to the bucket
 * root (with its Content-Type; html, js, css and the config never cached without revalidation)
 * and the libraries the pages import beside it (local/chat-page.ts's PAGE_VENDOR: the approval
 * page's @simplewebauthn/browser, at `vendor/simplewebauthn/`, as the local stack serves it),
 * writes the stage's `config.json` (the WebSocket URL, where to sign in: Cognito's managed
 * login, OAuth 2.0 code flow with PKCE, and the approvals API the approval page (approve.html)
 * calls: the MCP server's HTTP API), removes files the page no longer has and invalidates the
 * distribution. The config names no customer, no token and no read API (`http`): a deployed page
 * shows no events inspector, and a person signs in for themselves.
 *
 * scripts/deploy.ts calls `publishChatPage` after the chat gateway and `emptyChatBucket` before
 * removing the platform.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { vendorFiles } from '../local/chat-page';
import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';

/** The chat page's files. */
export const CHAT_DIR = join(__dirname, '..', 'web', 'chat');

/** What the platform stack (`centli-platform-<stage>`) must output, and what each one is. */
export const PLATFORM_OUTPUTS = {
  ChatBucketName: 'the name of the S3 bucket the chat page is served from (private; CloudFront reads it with origin access control)',
  ChatDistributionId: 'the id of the CloudFront distribution in front of that bucket',
  ChatUrl: "the chat page's public URL, https://<distribution domain>/, which is also the Cognito app client's callback and sign-out URL",
  AuthDomainUrl: "the Cognito managed login's base URL, https://<prefix>.auth.<region>.amazoncognito.com (or the custom domain)",
  AuthClientId: 'the id of the Cognito app client the page signs in with (public: no secret; authorization code grant; scopes openid and email)',
} as const;

/** What the chat gateway's stack (`centli-agent-gateway-<stage>`) must output. */
export const GATEWAY_OUTPUTS = {
  ChatWebSocketUrl: "the chat's WebSocket URL, wss://<api id>.execute-api.<region>.amazonaws.com/<stage>",
} as const;

/** What the MCP server's stack (`centli-mcp-<stage>`) must output: the HTTP API the framework names HttpApiUrl. */
export const MCP_OUTPUTS = {
  HttpApiUrl: "the MCP server's HTTP API, https://<api id>.execute-api.<region>.amazonaws.com, which serves the approval page's /approvals/{id}",
} as const;

type PlatformOutputs = Record<keyof typeof PLATFORM_OUTPUTS, string>;
type GatewayOutputs = Record<keyof typeof GATEWAY_OUTPUTS, string>;
type McpOutputs = Record<keyof typeof MCP_OUTPUTS, string>;

export const platformStack = (stage: string) => `centli-platform-${stage}`;
export const gatewayStack = (stage: string) => `centli-agent-gateway-${stage}`;
export const mcpStack = (stage: string) => `centli-mcp-${stage}`;

/** The AWS clients the publisher sends its commands with; tests pass fakes. */
export interface ChatClients {
  cloudformation: Pick<CloudFormationClient, 'send'>;
  s3: Pick<S3Client, 'send'>;
  cloudfront: Pick<CloudFrontClient, 'send'>;
}

export interface PublishOptions {
  stage: string;
  region?: string;
  clients?: ChatClients;
  /** web/chat by default. */
  dir?: string;
}

/** The deployed page's config.json (see web/chat/config.js). */
export interface DeployedChatConfig {
  websocket: string;
  /** Where the approval page reads and decides an approval (GET and POST /approvals/{id}). */
  approvals_api: string;
  auth: { authorize_url: string; token_url: string; client_id: string; redirect_uri: string; logout_url: string; scopes: string[] };
}

export interface PublishResult {
  /** The chat page's URL (ChatUrl). */
  url: string;
  bucket: string;
  distributionId: string;
  invalidationId: string | undefined;
  /** The keys written, config.json included. */
  keys: string[];
  /** Keys of files the page no longer has, deleted. */
  removed: string[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page's code and configuration change with every deploy: always revalidated. */
const REVALIDATE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest']);
/** Icons and fonts: a day. They keep their names across deploys, so not `immutable`. */
const ASSET_CACHE = 'public, max-age=86400';
const CONFIG_KEY = 'config.json';
/** A JWT (header and payload are base64url JSON objects): never uploaded, whatever the file. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

/** The Content-Type of a file of the page. @throws Error for a kind of file it does not know. */
export function contentTypeOf(key: string): string {
  const type = CONTENT_TYPES[extname(key).toLowerCase()];
  if (!type) throw new Error(`no Content-Type known for ${key}: add its extension to CONTENT_TYPES in scripts/publish-chat.ts`);
  return type;
}

export function cacheControlOf(key: string): string {
  return REVALIDATE.has(extname(key).toLowerCase()) ? 'no-cache' : ASSET_CACHE;
}

/**
 * The files of the page, as bucket keys (forward slashes, from the bucket root). Left out: dot
 * files, the `.d.ts` typings (for the unit tests and editors; the browser never loads them) and
 * any `config.json` on disk (the stage's own is written instead).
 */
export function chatFiles(dir: string = CHAT_DIR): Array<{ key: string; path: string }> {
  const files: Array<{ key: string; path: string }> = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith('.d.ts')) files.push({ key: relative(dir, path).split(sep).join('/'), path });
    }
  };
  walk(dir);
  const page = files.filter((f) => f.key !== CONFIG_KEY);
  if (!page.some((f) => f.key === 'index.html')) throw new Error(`${dir} has no index.html: nothing to publish`);
  return page;
}

/** The stage's config.json, from the stacks' outputs. */
export function chatConfig(platform: PlatformOutputs, gateway: GatewayOutputs, mcp: McpOutputs): DeployedChatConfig {
  const auth = platform.AuthDomainUrl.replace(/\/+$/, '');
  return {
    websocket: gateway.ChatWebSocketUrl,
    approvals_api: mcp.HttpApiUrl.replace(/\/+$/, ''),
    auth: {
      authorize_url: `${auth}/oauth2/authorize`,
      token_url: `${auth}/oauth2/token`,
      client_id: platform.AuthClientId,
      redirect_uri: platform.ChatUrl,
      logout_url: `${auth}/logout`,
      scopes: ['openid', 'email'],
    },
  };
}

/**
 * Publishes the chat page to `stage` (see the module description).
 *
 * @throws Error naming every output a stack lacks, or a stack that does not exist.
 */
export async function publishChatPage(options: PublishOptions): Promise<PublishResult> {
  const { stage } = options;
  const clients = options.clients ?? defaultClients(options.region);
  const platform = await requireOutputs(clients, platformStack(stage), PLATFORM_OUTPUTS);
  const gateway = await requireOutputs(clients, gatewayStack(stage), GATEWAY_OUTPUTS);
  const mcp = await requireOutputs(clients, mcpStack(stage), MCP_OUTPUTS);
  checkUrl(platform.ChatUrl, 'https:', 'ChatUrl', platformStack(stage));
  checkUrl(mcp.HttpApiUrl, 'https:', 'HttpApiUrl', mcpStack(stage));
  checkUrl(platform.AuthDomainUrl, 'https:', 'AuthDomainUrl', platformStack(stage));
  checkUrl(gateway.ChatWebSocketUrl, 'wss:', 'ChatWebSocketUrl', gatewayStack(stage));

  const bucket = platform.ChatBucketName;
  const files = [...chatFiles(options.dir ?? CHAT_DIR), ...vendorFiles()];
  const config = `${JSON.stringify(chatConfig(platform, gateway, mcp), null, 2)}\n`;
  const uploads = [
    ...files.map((file) => ({ key: file.key, body: readFileSync(file.path) })),
    { key: CONFIG_KEY, body: Buffer.from(config) },
  ];
  for (const upload of uploads) {
    if (JWT.test(upload.body.toString('latin1'))) throw new Error(`${upload.key} holds what looks like a token: refusing to publish it`);
  }
  // index.html last: by the time it changes, everything it loads is there.
  uploads.sort((a, b) => Number(a.key === 'index.html') - Number(b.key === 'index.html'));
  for (const upload of uploads) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: upload.body, ContentType: contentTypeOf(upload.key), CacheControl: cacheControlOf(upload.key) }),
    );
  }

  const keys = uploads.map((u) => u.key);
  const stale = (await listKeys(clients.s3, bucket)).filter((key) => !keys.includes(key));
  await deleteObjects(clients.s3, bucket, stale.map((Key) => ({ Key })));

  const invalidation = await clients.cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: platform.ChatDistributionId,
      InvalidationBatch: { CallerReference: `centli-chat-${stage}-${Date.now()}`, Paths: { Quantity: 1, Items: ['/*'] } },
    }),
  );
  return { url: platform.ChatUrl, bucket, distributionId: platform.ChatDistributionId, invalidationId: invalidation.Invalidation?.Id, keys, removed: stale };
}

/**
 * Deletes every object of the stage's chat bucket (every version and delete marker when the
 * bucket is versioned), so CloudFormation can delete the bucket with the platform stack. Nothing
 * to do when the platform stack, its ChatBucketName output or the bucket does not exist.
 */
export async function emptyChatBucket(options: Omit<PublishOptions, 'dir'>): Promise<{ bucket: string | undefined; deleted: number }> {
  const clients = options.clients ?? defaultClients(options.region);
  const outputs = await stackOutputs(clients, platformStack(options.stage));
  const bucket = outputs?.get('ChatBucketName');
  if (!bucket) return { bucket: undefined, deleted: 0 };
  let versioned: boolean;
  try {
    const { Status } = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    versioned = Status === 'Enabled' || Status === 'Suspended';
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') return { bucket, deleted: 0 };
    throw error;
  }
  let deleted = 0;
  // List from the start each round: what was listed is gone, so no marker is needed.
  for (;;) {
    const batch: ObjectIdentifier[] = [];
    if (versioned) {
      const page = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) if (v.Key) batch.push({ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) });
    } else {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      for (const o of page.Contents ?? []) if (o.Key) batch.push({ Key: o.Key });
    }
    if (batch.length === 0) break;
    await deleteObjects(clients.s3, bucket, batch);
    deleted += batch.length;
  }
  return { bucket, deleted };
}

function defaultClients(region: string | undefined): ChatClients {
  const config = region ? { region } : {};
  return {
    cloudformation: new CloudFormationClient(config),
    s3: new S3Client(config),
    // CloudFront is global; its API lives in us-east-1.
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
  };
}

/** A stack's outputs by key; undefined when the stack does not exist. */
async function stackOutputs(clients: ChatClients, stackName: string): Promise<Map<string, string> | undefined> {
  let outputs: Output[];
  try {
    const { Stacks } = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
  return new Map(outputs.filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey as string, o.OutputValue as string]));
}

async function requireOutputs<K extends string>(clients: ChatClients, stackName: string, wanted: Record<K, string>): Promise<Record<K, string>> {
  const outputs = await stackOutputs(clients, stackName);
  if (!outputs) throw new Error(`stack ${stackName} does not exist: deploy it first (npm run deploy -- --stage <stage>)`);
  const names = Object.keys(wanted) as K[];
  const missing = names.filter((name) => !outputs.get(name));
  if (missing.length > 0) {
    throw new Error(`stack ${stackName} has no output ${missing.join(', ')}; the chat page needs:\n${missing.map((name) => `  ${name}: ${wanted[name]}`).join('\n')}`);
  }
  return Object.fromEntries(names.map((name) => [name, outputs.get(name) as string])) as Record<K, string>;
}

function checkUrl(value: string, protocol: string, output: string, stackName: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== protocol) throw new Error(`stack ${stackName} output ${output} is "${value}", not a ${protocol}// URL`);
}

async function listKeys(s3: ChatClients['s3'], bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** DeleteObjects in batches of 1,000 (its limit). @throws Error naming the keys S3 did not delete. */
async function deleteObjects(s3: ChatClients['s3'], bucket: string, objects: ObjectIdentifier[]): Promise<void> {
  for (let i = 0; i < objects.length; i += 1000) {
    const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }));
    if (Errors && Errors.length > 0) throw new Error(`could not delete from ${bucket}: ${Errors.map((e) => `${e.Key} (${e.Code}: ${e.Message})`).join(', ')}`);
  }
}

const USAGE = 'usage: npm run publish:chat -- --stage <stage> [--region <region>]';

export function parseArguments(argv: readonly string[]): { stage: string; region?: string } {
  const options: { stage: string; region?: string } = { stage: '' };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] as string;
    const next = argv[++index];
    if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--stage') options.stage = next;
    else if (flag === '--region') options.region = next;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(options.stage)) throw new Error(`--stage must be lower-case letters, digits and dashes (at most 16), got "${options.stage}"\n${USAGE}`);
  return options;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => publishChatPage(parseArguments(process.argv.slice(2))))
    .then((published) => {
      console.log(`published ${published.keys.length} files to s3://${published.bucket}${published.removed.length > 0 ? `, removed ${published.removed.join(', ')}` : ''}; invalidation ${published.invalidationId ?? '?'} of ${published.distributionId}`);
      console.log(`The chat page: ${published.url}`);
    })
    .catch((error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 1;
    });
}
