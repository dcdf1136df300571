/**
 * `npm run conformance`: the MCP conformance suite (`@modelcontextprotocol/conformance`), its
 * server scenarios that apply to Centli's endpoint, against the running local stack's `/mcp`.
 *
 *   npm run conformance [-- --customer user-ana] [--json]
 *
 * The endpoint is stateless and serves only tools, so the scenarios run are `server-initialize`,
 * `ping`, `tools-list` and `dns-rebinding-protection`; the others exercise a test server's own
 * tools, prompts, resources, logging or server-to-client requests, which Centli does not offer.
 *
 * The suite connects with no credentials, and Centli's endpoint answers nothing without a token.
 * So the suite talks to a reverse proxy that adds one seeded customer's bearer token (the stack's
 * demo token) and forwards everything else as it came, except that its own authority is swapped
 * for the stack's in `Host` and `Origin`: a foreign `Host` or `Origin` (the DNS rebinding
 * scenario's) reaches the stack untouched, and the stack is what refuses it.
 *
 * Exits 0 when every check of every scenario passed, 1 otherwise, printing each check.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readLocalStackFile } from '@centli/kit/config';

export const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'] as const;

export interface ConformanceCheck {
  scenario: string;
  id: string;
  status: string;
  errorMessage?: string;
}

/** A proxy in front of `target` (the stack's `/mcp`) that adds `token`; resolves with its own `/mcp` URL on `localhost`. */
export async function startTokenProxy(target: string, token: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const upstream = new URL(target);
  let own = '';
  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const headers = { ...incoming.headers, authorization: `Bearer ${token}` };
    if (headers.host === own) headers.host = upstream.host;
    if (headers.origin === `http://${own}`) headers.origin = upstream.origin;
    const outgoing = forward({ hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    outgoing.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(error.message);
    });
    incoming.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  own = `localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${own}${upstream.pathname}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the scenarios against `mcpUrl` with `token`; every check each one reported. */
export async function runConformance(mcpUrl: string, token: string, scenarios: readonly string[] = SCENARIOS): Promise<ConformanceCheck[]> {
  const proxy = await startTokenProxy(mcpUrl, token);
  const cli = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
  const checks: ConformanceCheck[] = [];
  try {
    for (const scenario of scenarios) {
      const output = mkdtempSync(join(tmpdir(), 'centli-conformance-'));
      try {
        // The suite needs Node 22: the project's own (npm scripts and jest run on it).
        const code = await new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, [cli, 'server', '--url', proxy.url, '--scenario', scenario, '--output-dir', output], { stdio: ['ignore', 'pipe', 'pipe'] });
          let log = '';
          child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
          child.on('error', reject);
          child.on('close', (status) => {
            if (status !== 0 && process.env.CENTLI_CONFORMANCE_LOG) process.stderr.write(log);
            resolve(status ?? 1);
          });
        });
        const found = resultsIn(output);
        if (found.length === 0) checks.push({ scenario, id: 'results', status: 'FAILURE', errorMessage: `the suite wrote no results (exit ${code})` });
        checks.push(...found.map((check) => ({ scenario, id: check.id, status: check.status, ...(check.errorMessage ? { errorMessage: check.errorMessage } : {}) })));
      } finally {
        rmSync(output, { recursive: true, force: true });
      }
    }
  } finally {
    await proxy.stop();
  }
  return checks;
}

/** The checks the suite wrote (`checks.json`, in a folder of its own under the output folder). */
function resultsIn(folder: string): Array<{ id: string; status: string; errorMessage?: string }> {
  const found: Array<{ id: string; status: string; errorMessage?: string }> = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...resultsIn(path));
    else if (name === 'checks.json') found.push(...(JSON.parse(readFileSync(path, 'utf8')) as Array<{ id: string; status: string; errorMessage?: string }>));
  }
  return found;
}

async function main(argv: readonly string[]): Promise<number> {
  const stack = readLocalStackFile();
  if (!stack?.mcp) {
    process.stderr.write('no running local stack with MCP: start one with npm start (its endpoints are in .centli/local.json)\n');
    return 1;
  }
  const at = argv.indexOf('--customer');
  const customer = at >= 0 ? argv[at + 1] : 'user-ana';
  const token = customer ? stack.tokens?.[customer] : undefined;
  if (!token) {
    process.stderr.write(`the stack has no demo token for ${customer ?? '(none)'}\n`);
    return 1;
  }
  const checks = await runConformance(stack.mcp, token);
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
  else for (const check of checks) process.stdout.write(`${check.status.padEnd(8)} ${check.scenario} › ${check.id}${check.errorMessage ? `: ${check.errorMessage}` : ''}\n`);
  const failed = checks.filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO');
  process.stdout.write(`${checks.length - failed.length} of ${checks.length} checks passed in ${SCENARIOS.length} scenarios\n`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
