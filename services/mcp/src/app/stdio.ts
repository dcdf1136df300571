/**
 * `npm run mcp`: Centli's MCP server over stdio, for desktop MCP clients, against the running
 * local stack (or, with its endpoints in the environment, a deployed stage).
 *
 *   CENTLI_TOKEN=<a customer's token> npm run mcp
 *
 * The token is the session's identity, checked once at start against the stack's issuer; the
 * customer cannot change during the session and no tool takes a customer id. Where the client
 * supports MCP elicitation, confirmations are asked through it. stdout carries the protocol, so
 * every log line goes to stderr.
 *
 * Environment: CENTLI_TOKEN (required); CENTLI_STAGE (`local`); the AWS endpoints and
 * CENTLI_AUTH_ISSUER, taken from the running stack's .centli/local.json when not set.
 */
import { Console } from 'node:console';

// Before anything creates a logger: logs to stderr, never the protocol's stdout.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

async function main(): Promise<void> {
  const { readLocalStackFile, useLocalStack } = await import('@centli/kit/config');
  const stack = readLocalStackFile();
  if (stack) useLocalStack(stack);
  const stage = (process.env.CENTLI_STAGE ??= 'local');
  process.env.MCP_APPROVALS_TABLE ??= `centli-approvals-${stage}`;
  process.env.RATE_LIMITS_TABLE ??= `centli-rate-limits-${stage}`;
  if (!process.env.CENTLI_APPROVAL_PAGE) throw new Error('no approval page: start the local stack (npm start) or set CENTLI_APPROVAL_PAGE');
  if (!process.env.CENTLI_AUTH_ISSUER) throw new Error('no token issuer: start the local stack (npm start) or set CENTLI_AUTH_ISSUER');

  const token = process.env.CENTLI_TOKEN;
  if (!token) throw new Error('set CENTLI_TOKEN to a customer token (the local stack writes one per seeded customer to .centli/local.json, under "tokens")');

  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const { createMcpServer } = await import('./server');
  const { authenticate, UnauthenticatedError } = await import('@centli/kit/auth');
  const { logger, runnerDeps, tokenVerifier } = await import('./runtime');
  const customer = await authenticate(token, { verifier: tokenVerifier(), logger });
  if (customer instanceof UnauthenticatedError) throw customer;
  const server = createMcpServer({ userId: customer.userId, locale: customer.locale }, runnerDeps());
  await server.connect(new StdioServerTransport());
  process.stderr.write(`[centli-mcp] serving ${customer.userId} over stdio (stage ${stage})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[centli-mcp] ${(error as Error).message}\n`);
  process.exitCode = 1;
});
