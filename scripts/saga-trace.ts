/**
 * `npm run saga:trace -- <purchase_id>`: what the purchase saga did for one purchase, from the
 * running local stack (`GET /executions/<purchase_id>`): every state it went through, with its
 * input, output, each task attempt, errors, retries, catches and timings.
 *
 *   npm run saga:trace -- pur_2bU5...                   by purchase id (the execution name)
 *   npm run saga:trace -- --user user-ana --request r1  by the request that started it
 *   npm run saga:trace -- --list                        every execution, newest first
 *   npm run saga:trace -- <purchase_id> --json          the history as JSON
 *   npm run saga:trace -- <purchase_id> --full          inputs and outputs untruncated
 *
 * The stack is found through CENTLI_STATE_FILE or the nearest `.centli/local.json`.
 */
import { readFileSync } from 'node:fs';
import { findLocalStackFile, type LocalStackFile } from '@centli/kit/config';
import type { ExecutionHistory, StateVisit } from '../local/saga';
import { purchaseIdFor } from '../services/marketplace/src/domain/purchase';

const USAGE = 'usage: npm run saga:trace -- <purchase_id> | --user <user_id> --request <request_id> | --list  [--json] [--full]';

interface Options {
  purchaseId?: string;
  list: boolean;
  json: boolean;
  full: boolean;
}

export function parseArguments(argv: readonly string[]): Options {
  const options: Options = { list: false, json: false, full: false };
  let user: string | undefined;
  let request: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    const value = () => {
      const given = argv[++i];
      if (!given) throw new Error(`${argument} needs a value\n${USAGE}`);
      return given;
    };
    if (argument === '--list') options.list = true;
    else if (argument === '--json') options.json = true;
    else if (argument === '--full') options.full = true;
    else if (argument === '--user') user = value();
    else if (argument === '--request') request = value();
    else if (argument.startsWith('--')) throw new Error(`unknown option ${argument}\n${USAGE}`);
    else if (options.purchaseId === undefined) options.purchaseId = argument;
    else throw new Error(`one purchase at a time\n${USAGE}`);
  }
  if ((user === undefined) !== (request === undefined)) throw new Error(`--user and --request go together\n${USAGE}`);
  if (user !== undefined && request !== undefined) options.purchaseId = purchaseIdFor({ user_id: user, request_id: request });
  if (!options.list && options.purchaseId === undefined) throw new Error(USAGE);
  return options;
}

function stackEndpoint(): string {
  const file = process.env.CENTLI_STATE_FILE ?? findLocalStackFile();
  if (!file) throw new Error('no running local stack found (.centli/local.json): start one with `npm start`');
  return (JSON.parse(readFileSync(file, 'utf8')) as LocalStackFile).http;
}

function json(value: unknown, full: boolean): string {
  const text = JSON.stringify(value);
  if (text === undefined) return 'undefined';
  return full || text.length <= 240 ? text : `${text.slice(0, 237)}...`;
}

/** What a state added to or changed in its input (its ResultPath), at the top level. */
export function changes(input: unknown, output: unknown): Record<string, unknown> {
  if (!isObject(input) || !isObject(output)) return { '': output };
  return Object.fromEntries(Object.entries(output).filter(([key, value]) => JSON.stringify(input[key]) !== JSON.stringify(value)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const ms = (value: number | undefined) => (value === undefined ? '(running)' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);

/** The history as text, one block per state. */
export function renderHistory(history: ExecutionHistory, full = false): string {
  const lines = [
    `${history.name}  ${history.status}  started ${history.startDate}${history.stopDate ? `, stopped ${history.stopDate}` : ''}  (${ms(history.durationMs)})`,
    `  ${history.executionArn}`,
    `  start requests: ${history.startRequests}`,
    `  input:  ${json(history.input, full)}`,
  ];
  history.states.forEach((visit: StateVisit, index) => {
    lines.push('', `${String(index + 1).padStart(2)}. ${visit.name} (${visit.type})  ${ms(visit.durationMs)}  at ${visit.enteredAt}`);
    if (visit.type !== 'Task') lines.push(`      input:  ${json(visit.input, full)}`);
    for (const attempt of visit.attempts) {
      lines.push(`      attempt ${attempt.attempt}  ${attempt.function ?? attempt.resource}  ${ms(attempt.durationMs)}`);
      lines.push(`        input:  ${json(attempt.input, full)}`);
      if (attempt.error) lines.push(`        error:  ${attempt.error.error}: ${attempt.error.cause}`);
      else lines.push(`        output: ${json(attempt.output, full)}`);
    }
    for (const retry of visit.retries) lines.push(`      retried after ${retry.error} (retry ${retry.attempt})`);
    if (visit.error) lines.push(`      failed: ${visit.error.error}: ${visit.error.cause}`);
    if (visit.caught) lines.push(`      caught by [${visit.caught.errorEquals.join(', ')}] → ${visit.caught.next}`);
    if (visit.output !== undefined) {
      if (full) lines.push(`      output: ${json(visit.output, full)}`);
      else for (const [key, value] of Object.entries(changes(visit.input, visit.output))) lines.push(`      $.${key} = ${json(value, full)}`);
    }
  });
  lines.push('');
  if (history.output !== undefined) lines.push(`output: ${json(history.output, full)}`);
  if (history.error) lines.push(`error: ${history.error}: ${history.cause ?? ''}`);
  for (const violation of history.contractViolations) lines.push(`contract violation: ${violation}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const base = stackEndpoint();
  const path = options.list ? '/executions' : `/executions/${encodeURIComponent(options.purchaseId as string)}`;
  const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) {
    process.stderr.write(`no execution named ${options.purchaseId} on ${base}\n`);
    process.exitCode = 1;
    return;
  }
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as unknown;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (options.list) {
    for (const e of body as { name: string; status: string; startDate: string }[]) process.stdout.write(`${e.startDate}  ${e.status.padEnd(9)}  ${e.name}\n`);
  } else {
    process.stdout.write(`${renderHistory(body as ExecutionHistory, options.full)}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
