/**
 * Publishing the chat page to a stage (scripts/publish-chat.ts), against small in-memory fakes of
 * the CloudFormation, S3 and CloudFront commands it sends: what lands in the bucket and how it is
 * served, the stage's config.json (never a token, a customer or the local read API), the
 * invalidation, the errors for missing outputs, and emptying the bucket before removal.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vendorFiles } from '../../../local/chat-page';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, GetBucketVersioningCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CHAT_DIR,
  chatFiles,
  contentTypeOf,
  emptyChatBucket,
  parseArguments,
  publishChatPage,
  type ChatClients,
} from '../../../scripts/publish-chat';

const BUCKET = 'centli-chat-dev-123456789012';
const PLATFORM = {
  ChatBucketName: BUCKET,
  ChatDistributionId: 'E2QWRUHAPOMQZL',
  ChatUrl: 'https://d111111abcdef8.cloudfront.net/',
  AuthDomainUrl: 'https://centli-dev.auth.us-east-1.amazoncognito.com',
  AuthClientId: '4h2k9clientid',
};
const GATEWAY = { ChatWebSocketUrl: 'wss://abc123.execute-api.us-east-1.amazonaws.com/dev' };
const MCP = { HttpApiUrl: 'https://mcp456.execute-api.us-east-1.amazonaws.com' };

interface StoredVersion {
  versionId: string;
  deleteMarker: boolean;
  body?: Buffer;
  contentType?: string;
  cacheControl?: string;
}

/** An S3 bucket in memory: PutObject, ListObjectsV2, ListObjectVersions, DeleteObjects, GetBucketVersioning. */
class FakeS3 {
  readonly objects = new Map<string, StoredVersion[]>();
  readonly commands: string[] = [];
  private nextVersion = 1;

  constructor(
    readonly versioned = false,
    readonly exists = true,
  ) {}

  async send(command: object): Promise<unknown> {
    this.commands.push(command.constructor.name);
    if (!this.exists) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    if (command instanceof PutObjectCommand) {
      const { Key, Body, ContentType, CacheControl } = command.input;
      this.write(Key as string, { deleteMarker: false, body: Buffer.from(Body as Buffer), contentType: ContentType as string, cacheControl: CacheControl as string });
      return {};
    }
    if (command instanceof GetBucketVersioningCommand) return this.versioned ? { Status: 'Enabled' } : {};
    if (command instanceof ListObjectsV2Command) {
      const keys = [...this.objects].filter(([, versions]) => !versions.at(-1)?.deleteMarker).map(([key]) => key).sort();
      const start = Number(command.input.ContinuationToken ?? 0);
      const max = command.input.MaxKeys ?? 1000;
      const page = keys.slice(start, start + max);
      const more = start + max < keys.length;
      return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + max) } : {}) };
    }
    if (command instanceof ListObjectVersionsCommand) {
      const all = [...this.objects].flatMap(([Key, versions]) => versions.map((v) => ({ Key, VersionId: v.versionId, marker: v.deleteMarker })));
      const page = all.slice(0, command.input.MaxKeys ?? 1000);
      return {
        Versions: page.filter((v) => !v.marker).map(({ Key, VersionId }) => ({ Key, VersionId })),
        DeleteMarkers: page.filter((v) => v.marker).map(({ Key, VersionId }) => ({ Key, VersionId })),
        IsTruncated: all.length > page.length,
      };
    }
    if (command instanceof DeleteObjectsCommand) {
      const objects = command.input.Delete?.Objects ?? [];
      if (objects.length > 1000) throw new Error('MalformedXML: at most 1000 keys per DeleteObjects');
      for (const { Key, VersionId } of objects) {
        const versions = this.objects.get(Key as string) ?? [];
        if (VersionId) {
          const left = versions.filter((v) => v.versionId !== VersionId);
          if (left.length > 0) this.objects.set(Key as string, left);
          else this.objects.delete(Key as string);
        } else if (this.versioned) this.write(Key as string, { deleteMarker: true });
        else this.objects.delete(Key as string);
      }
      return { Deleted: objects };
    }
    throw new Error(`the fake S3 does not serve ${command.constructor.name}`);
  }

  /** The current object at `key`. */
  current(key: string): StoredVersion | undefined {
    const latest = this.objects.get(key)?.at(-1);
    return latest?.deleteMarker ? undefined : latest;
  }

  currentKeys(): string[] {
    return [...this.objects.keys()].filter((key) => this.current(key)).sort();
  }

  private write(key: string, version: Omit<StoredVersion, 'versionId'>): void {
    if (!this.versioned) {
      this.objects.set(key, [{ ...version, versionId: 'null' }]);
      return;
    }
    this.objects.set(key, [...(this.objects.get(key) ?? []), { ...version, versionId: `v${this.nextVersion++}` }]);
  }
}

class FakeCloudFormation {
  constructor(readonly stacks: Record<string, Record<string, string>>) {}

  async send(command: object): Promise<unknown> {
    if (!(command instanceof DescribeStacksCommand)) throw new Error(`the fake CloudFormation does not serve ${command.constructor.name}`);
    const name = command.input.StackName as string;
    const outputs = this.stacks[name];
    if (!outputs) throw Object.assign(new Error(`Stack with id ${name} does not exist`), { name: 'ValidationError' });
    return { Stacks: [{ StackName: name, Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] };
  }
}

class FakeCloudFront {
  readonly invalidations: Array<{ distributionId: string; paths: string[]; callerReference: string }> = [];
  /** What the bucket held when each invalidation was made. */
  readonly bucketAtInvalidation: string[][] = [];

  constructor(private readonly s3?: FakeS3) {}

  async send(command: object): Promise<unknown> {
    if (!(command instanceof CreateInvalidationCommand)) throw new Error(`the fake CloudFront does not serve ${command.constructor.name}`);
    const { DistributionId, InvalidationBatch } = command.input;
    if (this.s3) this.bucketAtInvalidation.push(this.s3.currentKeys());
    this.invalidations.push({ distributionId: DistributionId as string, paths: InvalidationBatch?.Paths?.Items ?? [], callerReference: InvalidationBatch?.CallerReference as string });
    return { Invalidation: { Id: `I${this.invalidations.length}`, Status: 'InProgress' } };
  }
}

function fakes(options: { platform?: Record<string, string>; gateway?: Record<string, string> | null; mcp?: Record<string, string> | null; s3?: FakeS3 } = {}) {
  const s3 = options.s3 ?? new FakeS3();
  const cloudfront = new FakeCloudFront(s3);
  const stacks: Record<string, Record<string, string>> = { 'centli-platform-dev': options.platform ?? PLATFORM };
  if (options.gateway !== null) stacks['centli-agent-gateway-dev'] = options.gateway ?? GATEWAY;
  if (options.mcp !== null) stacks['centli-mcp-dev'] = options.mcp ?? MCP;
  const cloudformation = new FakeCloudFormation(stacks);
  const clients = { s3, cloudfront, cloudformation } as unknown as ChatClients;
  return { s3, cloudfront, clients };
}

/** The page's files as the browser loads them: web/chat without the .d.ts typings, and the vendored libraries it imports. */
const OWN_FILES = readdirSync(CHAT_DIR)
  .filter((f) => !f.endsWith('.d.ts'))
  .sort();
const VENDOR_FILES = vendorFiles();
const PAGE_FILES = [...OWN_FILES, ...VENDOR_FILES.map((f) => f.key)].sort();

describe('publishChatPage', () => {
  it('uploads every file of the page to the bucket root, as it is on disk, with its Content-Type and Cache-Control', async () => {
    // Prepare
    const { s3, clients } = fakes();

    // Act
    const published = await publishChatPage({ stage: 'dev', clients });

    // Assess
    expect(s3.currentKeys()).toEqual([...PAGE_FILES, 'config.json'].sort());
    for (const file of OWN_FILES) expect(s3.current(file)?.body?.equals(readFileSync(join(CHAT_DIR, file)))).toBe(true);
    for (const file of VENDOR_FILES) expect(s3.current(file.key)?.body?.equals(readFileSync(file.path))).toBe(true);
    expect(VENDOR_FILES.map((f) => f.key)).toContain('vendor/simplewebauthn/index.js');
    const served = Object.fromEntries(s3.currentKeys().map((key) => [key, [s3.current(key)?.contentType, s3.current(key)?.cacheControl]]));
    expect(served).toMatchObject({
      'index.html': ['text/html; charset=utf-8', 'no-cache'],
      'app.js': ['text/javascript; charset=utf-8', 'no-cache'],
      'oauth.js': ['text/javascript; charset=utf-8', 'no-cache'],
      'base.css': ['text/css; charset=utf-8', 'no-cache'],
      'config.json': ['application/json; charset=utf-8', 'no-cache'],
      'favicon.svg': ['image/svg+xml', 'public, max-age=86400'],
    });
    for (const key of PAGE_FILES.filter((f) => f.endsWith('.js'))) expect(served[key]).toEqual(['text/javascript; charset=utf-8', 'no-cache']);
    for (const key of PAGE_FILES.filter((f) => f.endsWith('.css'))) expect(served[key]).toEqual(['text/css; charset=utf-8', 'no-cache']);
    expect(published).toMatchObject({ url: PLATFORM.ChatUrl, bucket: BUCKET, distributionId: PLATFORM.ChatDistributionId, removed: [] });
    expect(published.keys.at(-1)).toBe('index.html');
  });

  it('uploads every file the page loads: what index.html links, and every module those modules import', async () => {
    // Prepare
    const { s3, clients } = fakes();
    const html = readFileSync(join(CHAT_DIR, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/\s(?:href|src)="([^"#:]+)"/g)].map((m) => m[1]!);
    // A Set's iteration reaches what is added during it: every module's imports, transitively.
    const loaded = new Set(linked);
    for (const file of loaded) {
      if (!file.endsWith('.js')) continue;
      for (const [, path] of readFileSync(join(CHAT_DIR, file), 'utf8').matchAll(/from\s+'\.\/([^']+)'/g)) loaded.add(path!);
    }

    // Act
    await publishChatPage({ stage: 'dev', clients });

    // Assess
    expect(linked.filter((f) => f.endsWith('.css')).length).toBeGreaterThan(1);
    const missing = [...loaded].filter((key) => !s3.current(key)?.body?.equals(readFileSync(join(CHAT_DIR, key))));
    expect(missing).toEqual([]);
  });

  it('writes the stage’s config.json: its WebSocket, its Cognito managed login and the approvals API', async () => {
    // Prepare
    const { s3, clients } = fakes({ platform: { ...PLATFORM, AuthDomainUrl: `${PLATFORM.AuthDomainUrl}/` } });

    // Act
    await publishChatPage({ stage: 'dev', clients });

    // Assess
    expect(JSON.parse(s3.current('config.json')?.body?.toString('utf8') as string)).toEqual({
      websocket: GATEWAY.ChatWebSocketUrl,
      approvals_api: MCP.HttpApiUrl,
      auth: {
        authorize_url: 'https://centli-dev.auth.us-east-1.amazoncognito.com/oauth2/authorize',
        token_url: 'https://centli-dev.auth.us-east-1.amazoncognito.com/oauth2/token',
        client_id: PLATFORM.AuthClientId,
        redirect_uri: PLATFORM.ChatUrl,
        logout_url: 'https://centli-dev.auth.us-east-1.amazoncognito.com/logout',
        scopes: ['openid', 'email'],
      },
    });
  });

  describe('with a config.json and a token left in web/chat', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'centli-chat-'));
      for (const file of OWN_FILES) copyFileSync(join(CHAT_DIR, file), join(dir, file));
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const token = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('{"sub":"user-ana"}').toString('base64url')}.c2lnbmF0dXJl`;

    it('uploads the stage’s config, never the local one with its customers, tokens and read API', async () => {
      // Prepare
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ websocket: 'ws://127.0.0.1:4010/ws', http: 'http://127.0.0.1:4010', customers: [{ user_id: 'user-ana', name: 'Ana García', token }] }));
      const { s3, clients } = fakes();

      // Act
      await publishChatPage({ stage: 'dev', clients, dir });

      // Assess
      const config = s3.current('config.json')?.body?.toString('utf8') as string;
      expect(Object.keys(JSON.parse(config)).sort()).toEqual(['approvals_api', 'auth', 'websocket']);
      for (const key of s3.currentKeys()) {
        const body = s3.current(key)?.body?.toString('latin1') ?? '';
        expect(`${key}: ${body.includes(token)}`).toBe(`${key}: false`);
        expect(body).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
      }
      expect(config).not.toMatch(/customers|"(id_|access_|refresh_)?token"|user-ana|127\.0\.0\.1|"http"/);
    });

    it('refuses to publish a file that holds a token, and uploads nothing', async () => {
      // Prepare
      writeFileSync(join(dir, 'debug.txt'), `last session: ${token}\n`);
      const { s3, cloudfront, clients } = fakes();

      // Act
      const publishing = publishChatPage({ stage: 'dev', clients, dir });

      // Assess
      await expect(publishing).rejects.toThrow('debug.txt holds what looks like a token: refusing to publish it');
      expect(s3.commands).toEqual([]);
      expect(cloudfront.invalidations).toEqual([]);
    });
  });

  it('invalidates every path of the distribution after the upload', async () => {
    const { s3, cloudfront, clients } = fakes();
    const published = await publishChatPage({ stage: 'dev', clients });
    expect(cloudfront.invalidations).toEqual([{ distributionId: PLATFORM.ChatDistributionId, paths: ['/*'], callerReference: expect.stringMatching(/^centli-chat-dev-\d+$/) }]);
    expect(published.invalidationId).toBe('I1');
    expect(cloudfront.bucketAtInvalidation).toEqual([s3.currentKeys()]);
    expect(s3.currentKeys()).toContain('index.html');
  });

  it('removes the files the page no longer has, and keeps the rest', async () => {
    // Prepare
    const s3 = new FakeS3(true);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'old-module.js', Body: Buffer.from('export {}') }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'app.js', Body: Buffer.from('stale') }));
    const { clients } = fakes({ s3 });

    // Act
    const published = await publishChatPage({ stage: 'dev', clients });

    // Assess
    expect(published.removed).toEqual(['old-module.js']);
    expect(s3.current('old-module.js')).toBeUndefined();
    expect(s3.current('app.js')?.body?.equals(readFileSync(join(CHAT_DIR, 'app.js')))).toBe(true);
  });

  it('names every output the platform stack lacks, with what it is, and uploads nothing', async () => {
    // Prepare
    const { ChatDistributionId: _distribution, AuthClientId: _client, ...partial } = PLATFORM;
    const { s3, clients } = fakes({ platform: partial });

    // Act
    const publishing = publishChatPage({ stage: 'dev', clients });

    // Assess
    await expect(publishing).rejects.toThrow(/^stack centli-platform-dev has no output ChatDistributionId, AuthClientId; the chat page needs:\n {2}ChatDistributionId: the id of the CloudFront distribution/);
    await expect(publishChatPage({ stage: 'dev', clients })).rejects.toThrow('AuthClientId: the id of the Cognito app client');
    expect(s3.commands).toEqual([]);
  });

  it('says when the MCP server’s stack is not there, or its HTTP API output is not an https:// URL', async () => {
    await expect(publishChatPage({ stage: 'dev', clients: fakes({ mcp: null }).clients })).rejects.toThrow('stack centli-mcp-dev does not exist: deploy it first');
    await expect(publishChatPage({ stage: 'dev', clients: fakes({ mcp: { HttpApiUrl: 'http://mcp456.example' } }).clients })).rejects.toThrow('stack centli-mcp-dev output HttpApiUrl is "http://mcp456.example", not a https:// URL');
  });

  it('says when the gateway’s stack is not there, or its WebSocket output is not a wss:// URL', async () => {
    await expect(publishChatPage({ stage: 'dev', clients: fakes({ gateway: null }).clients })).rejects.toThrow('stack centli-agent-gateway-dev does not exist: deploy it first');
    await expect(publishChatPage({ stage: 'dev', clients: fakes({ gateway: {} }).clients })).rejects.toThrow('stack centli-agent-gateway-dev has no output ChatWebSocketUrl');
    await expect(publishChatPage({ stage: 'dev', clients: fakes({ gateway: { ChatWebSocketUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev' } }).clients })).rejects.toThrow(
      'stack centli-agent-gateway-dev output ChatWebSocketUrl is "https://abc123.execute-api.us-east-1.amazonaws.com/dev", not a wss:// URL',
    );
  });
});

describe('emptyChatBucket', () => {
  it('deletes every version and delete marker of a versioned bucket, more than one batch of them', async () => {
    // Prepare
    const s3 = new FakeS3(true);
    for (let i = 0; i < 700; i++) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `file-${i}.js`, Body: Buffer.from('v1') }));
    for (let i = 0; i < 400; i++) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `file-${i}.js`, Body: Buffer.from('v2') }));
    await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'file-0.js' }] } }));
    const { clients } = fakes({ s3 });

    // Act
    const emptied = await emptyChatBucket({ stage: 'dev', clients });

    // Assess
    expect(emptied).toEqual({ bucket: BUCKET, deleted: 1101 });
    expect(s3.objects.size).toBe(0);
  });

  it('deletes every object of an unversioned bucket', async () => {
    const s3 = new FakeS3(false);
    for (const key of ['index.html', 'app.js', 'config.json']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from('x') }));
    await expect(emptyChatBucket({ stage: 'dev', clients: fakes({ s3 }).clients })).resolves.toEqual({ bucket: BUCKET, deleted: 3 });
    expect(s3.objects.size).toBe(0);
  });

  it('has nothing to do when the platform stack, its bucket output or the bucket is gone', async () => {
    const noStack = { ...fakes().clients, cloudformation: new FakeCloudFormation({}) } as unknown as ChatClients;
    await expect(emptyChatBucket({ stage: 'dev', clients: noStack })).resolves.toEqual({ bucket: undefined, deleted: 0 });
    const { ChatBucketName: _bucket, ...withoutBucket } = PLATFORM;
    await expect(emptyChatBucket({ stage: 'dev', clients: fakes({ platform: withoutBucket }).clients })).resolves.toEqual({ bucket: undefined, deleted: 0 });
    await expect(emptyChatBucket({ stage: 'dev', clients: fakes({ s3: new FakeS3(false, false) }).clients })).resolves.toEqual({ bucket: BUCKET, deleted: 0 });
  });
});

describe('chatFiles and contentTypeOf', () => {
  it('leaves out the typings, which the browser never loads', () => {
    expect(chatFiles().map((f) => f.key)).toEqual(OWN_FILES);
    expect(OWN_FILES).toEqual(expect.arrayContaining(['index.html', 'app.js', 'oauth.js', 'config.js', 'base.css', 'favicon.svg']));
  });

  it('refuses a kind of file it cannot serve correctly', () => {
    expect(() => contentTypeOf('notes.md')).toThrow('no Content-Type known for notes.md');
  });
});

describe('parseArguments', () => {
  it('reads the stage and the region', () => {
    expect(parseArguments(['--stage', 'dev', '--region', 'eu-west-1'])).toEqual({ stage: 'dev', region: 'eu-west-1' });
  });

  it.each([[[]], [['--stage', 'Prod!']], [['--stage']], [['--stage', 'dev', '--bucket', 'x']]])('refuses %j', (argv) => {
    expect(() => parseArguments(argv)).toThrow(/usage: npm run publish:chat/);
  });
});
