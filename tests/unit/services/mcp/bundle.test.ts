/**
 * The MCP service is bundled without ajv's compiler (serverless.common.yml
 * `esbuildWithoutAjvCompiler`, lib/kit/ajv-compiler-elsewhere.ts). Its server, bundled as `sls
 * package` bundles it, must still check a dialog's answer against the confirmation form, and its
 * tool arguments with their standalone validators: both run here inside such a bundle.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptionsOf, serviceFunctions } from '../../../../bench/bundling';

const http = serviceFunctions().find((fn) => fn.id === 'mcp/http');

/** A server for Ana and a client in memory, both in the bundle; the client answers the dialog with `content`. */
const SCENARIO = `
// The fake services check every request and answer against its event schema (tests/unit/support/fakes.ts).
import '@centli/schemas/validators/all';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer } from './src/app/server';
import { balances, holders, FakeApprovalStore, FakeClock, fakeRunnerDeps, FakeServiceCaller, resolvesHermano, transferCompleted } from '../../tests/unit/services/mcp/fakes';

export async function transferAnswering(content: unknown, args: unknown) {
  const caller = new FakeServiceCaller({ BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders, ALIAS_RESOLUTION_REQUEST: resolvesHermano, TRANSFER_REQUEST: transferCompleted });
  const server = createMcpServer({ userId: 'user-ana', locale: 'es' }, fakeRunnerDeps(caller, new FakeApprovalStore(), new FakeClock()));
  // The agent's side is not under test: it checks nothing (its default validator would need ajv's compiler too).
  const client = new Client({ name: 'agent', version: '1.0.0' }, { capabilities: { elicitation: {} }, jsonSchemaValidator: { getValidator: () => (input: unknown) => ({ valid: true, data: input, errorMessage: undefined }) as never } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content }) as never);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const result = await client.callTool({ name: 'transfer_funds', arguments: args as Record<string, unknown> });
    return { result, transfers: caller.sent('TRANSFER_REQUEST').length };
  } catch (error) {
    return { error: { code: (error as { code?: number }).code, message: (error as Error).message }, transfers: caller.sent('TRANSFER_REQUEST').length };
  } finally {
    await client.close();
    await server.close();
  }
}
`;

type Scenario = { transferAnswering(content: unknown, args: unknown): Promise<{ result?: { isError?: boolean; content?: Array<{ text?: string }> }; error?: { code?: number; message: string }; transfers: number }> };

describe('the MCP service’s bundle', () => {
  let dir: string;
  let scenario: Scenario;
  let metafile: Metafile;

  beforeAll(async () => {
    if (!http) throw new Error('no mcp/http function in services/mcp/serverless.yml');
    dir = mkdtempSync(join(tmpdir(), 'centli-mcp-bundle-'));
    const { options } = esbuildOptionsOf(http.esbuild);
    const result = await build({
      ...options,
      stdin: { contents: SCENARIO, resolveDir: http.dir, sourcefile: 'scenario.ts', loader: 'ts' },
      outfile: join(dir, 'scenario.js'),
      absWorkingDir: http.dir,
      sourcemap: false,
      metafile: true,
      logLevel: 'error',
    });
    // The function itself, as it is packaged.
    metafile = (await build({ ...options, entryPoints: [http.entry], outdir: join(dir, 'function'), absWorkingDir: http.dir, sourcemap: false, metafile: true, logLevel: 'error' })).metafile;
    expect(result.errors).toEqual([]);
    writeFileSync(join(dir, 'package.json'), '{}');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    scenario = require(join(dir, 'scenario.js')) as Scenario;
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds, for the endpoint’s function, ajv’s runtime helpers for its standalone validators, and not its compiler', () => {
    // Act
    const inputs = Object.keys(metafile.inputs);

    // Assess
    expect(inputs).toEqual(expect.arrayContaining([expect.stringMatching(/node_modules\/ajv\/dist\/runtime\/ucs2length\.js$/)]));
    expect(inputs.filter((path) => /node_modules\/ajv\/dist\/(core|ajv|compile\/)/.test(path))).toEqual([]);
    expect(inputs.filter((path) => /node_modules\/ajv-formats\/dist\/(index|limit)\.js$/.test(path))).toEqual([]);
  });

  it('transfers when the customer ticks confirm in the dialog', async () => {
    // Act
    const outcome = await scenario.transferAnswering({ confirm: true }, { beneficiary: 'mi hermano', amount: 10000 });

    // Assess
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.isError ?? false).toBe(false);
    expect(outcome.transfers).toBe(1);
  });

  it('refuses a dialog answer that breaks the form as the SDK’s own validator would, and transfers nothing', async () => {
    // Act
    const outcome = await scenario.transferAnswering({ confirm: 'yes' }, { beneficiary: 'mi hermano', amount: 10000 });

    // Assess
    expect(outcome.error).toEqual({ code: -32602, message: expect.stringContaining('Elicitation response content does not match requested schema: data/confirm must be boolean') });
    expect(outcome.transfers).toBe(0);
  });

  it('refuses arguments that break the tool’s input schema, with its standalone validator, and transfers nothing', async () => {
    // Act
    const outcome = await scenario.transferAnswering({ confirm: true }, { beneficiary: 'mi hermano', amount: 'cien' });

    // Assess
    expect(outcome.result?.isError).toBe(true);
    expect(outcome.result?.content?.[0]?.text).toContain('amount');
    expect(outcome.transfers).toBe(0);
  });
});
