/**
 * Starts one local stack (`local/start.ts`: DynamoDB Local, the local bus, the handlers) in a
 * child process, exactly as `npm start` does, on free ports and with its own state file so a
 * developer's running stack is left alone. Tests reach it through CENTLI_TEST_STACK.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const READY = 'CENTLI_READY ';

export default async function globalSetup(): Promise<void> {
  mkdirSync(join(root, '.centli'), { recursive: true });
  const log = openSync(join(root, '.centli', 'test-stack.log'), 'w');
  const stateFile = join(root, '.centli', `test-stack-${process.pid}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'local', 'start.ts'), '--port', '0'], {
    cwd: root,
    env: { ...process.env, CENTLI_STATE_FILE: stateFile, CENTLI_LOG_LEVEL: process.env.CENTLI_LOG_LEVEL ?? 'INFO' },
    stdio: ['ignore', 'pipe', log],
    detached: true,
  });
  const endpoints = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the local stack did not start within 90 s; see .centli/test-stack.log')), 90_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith(READY));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(READY.length));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack exited with ${code} before it was ready; see .centli/test-stack.log`));
    });
  });
  // Keep draining stdout (the handlers' log lines) into a file, so the child never blocks on a full
  // pipe and the leak scan can read everything the suite logged.
  const out = createWriteStream(join(root, '.centli', 'test-stack.out.log'));
  child.stdout?.pipe(out);
  // The state file has everything the READY line has, and the seeded customers' demo tokens.
  process.env.CENTLI_TEST_STACK = readFileSync(stateFile, 'utf8') || endpoints;
  process.env.CENTLI_TEST_STATE_FILE = stateFile;
  process.env.CENTLI_TEST_STACK_PID = String(child.pid);
}
