/**
 * `npm run dlq -- list|redrive`: the running local stack's dead letters (deliveries the bus gave
 * up on after its retries), listed, or delivered again to the targets that gave up on them.
 *
 *   npm run dlq -- list [--json]
 *   npm run dlq -- redrive
 *
 * The stack is found through .centli/local.json (or CENTLI_STATE_FILE). In AWS, the platform's
 * SQS dead-letter queue (centli-event-dlq-<stage>) is inspected and redriven from the SQS console
 * or `aws sqs start-message-move-task`.
 */
import { readLocalStackFile } from '@centli/kit/config';
import { AWS_STYLE_HEADERS } from '../local/http';

interface DeadLetter {
  target: string;
  attempts: number;
  time: string;
  error: { name: string; message: string };
  event: { id: string; 'detail-type': string; source: string; detail: { correlation_id?: string; request_id?: string } };
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (command !== 'list' && command !== 'redrive') {
    process.stderr.write('usage: npm run dlq -- list [--json] | redrive\n');
    return 2;
  }
  const stack = readLocalStackFile();
  if (!stack) {
    process.stderr.write('no running local stack: start one with npm start (its endpoints are in .centli/local.json)\n');
    return 1;
  }
  if (command === 'redrive') {
    const response = await fetch(`${stack.http}/dead-letters/redrive`, { method: 'POST', headers: AWS_STYLE_HEADERS });
    const { redriven } = (await response.json()) as { redriven: number };
    process.stdout.write(`redrove ${redriven} dead letter(s)\n`);
    return 0;
  }
  const letters = (await (await fetch(`${stack.http}/dead-letters`)).json()) as DeadLetter[];
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
    return 0;
  }
  if (letters.length === 0) {
    process.stdout.write('no dead letters\n');
    return 0;
  }
  for (const letter of letters) {
    process.stdout.write(
      `${letter.time}  ${letter.event['detail-type']}  ${letter.event.source} → ${letter.target}  attempts ${letter.attempts}  correlation_id ${letter.event.detail.correlation_id ?? '-'}\n    ${letter.error.name}: ${letter.error.message}\n`,
    );
  }
  process.stdout.write(`${letters.length} dead letter(s); \`npm run dlq -- redrive\` delivers them again\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
