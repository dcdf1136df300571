/**
 * `npm run revoke-sessions -- <user_id> [--stage <stage>]`: revokes a customer's chat access when
 * the bank disables them or signs them out everywhere. Every token issued before now opens no chat
 * session again, and every open session is ended at once, its socket closed
 * (services/agent-gateway/src/handlers/revoke-sessions.ts).
 *
 * It invokes the stage's `revoke-sessions` function through the Lambda API: the running local
 * stack's (found through .centli/local.json) for the `local` stage, AWS's with the caller's
 * credentials for any other.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readLocalStackFile, useLocalStack } from '@centli/kit/config';

async function main(argv: readonly string[]): Promise<number> {
  const stageAt = argv.indexOf('--stage');
  const stage = stageAt >= 0 ? argv[stageAt + 1] : 'local';
  const userId = argv.find((arg, index) => !arg.startsWith('--') && index !== stageAt + 1);
  if (!userId || !stage) {
    process.stderr.write('usage: npm run revoke-sessions -- <user_id> [--stage <stage>]\n');
    return 2;
  }
  if (stage === 'local') {
    const stack = readLocalStackFile();
    if (!stack) {
      process.stderr.write('no running local stack: start one with npm start (its endpoints are in .centli/local.json)\n');
      return 1;
    }
    useLocalStack(stack);
  }
  const result = await new LambdaClient({}).send(new InvokeCommand({ FunctionName: `centli-agent-gateway-${stage}-revoke-sessions`, Payload: JSON.stringify({ user_id: userId }) }));
  const payload = Buffer.from(result.Payload ?? []).toString();
  if (result.FunctionError) {
    process.stderr.write(`not revoked: ${payload}\n`);
    return 1;
  }
  const { ended } = JSON.parse(payload) as { ended: number };
  process.stdout.write(`revoked ${userId}'s chat access; ended ${ended} open session(s)\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
