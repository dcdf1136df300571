/**
 * SSM Parameter Store's GetParameter (and PutParameter) for the SecureString parameters the functions name in their
 * configuration (`<NAME>_PARAMETER`), so code that reads a secret with Powertools Parameters runs
 * unmodified against the local stack. Locally each such secret has a fixed development value: the
 * SPEI signing secret is the one the local SPEI participant (local/spei.ts) signs and verifies with.
 *
 * @module
 */
import { AwsError, type LocalHttpServer } from './http';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';

/** The SPEI participant's shared secret on the local stack (never a deployed stage's). */
export const LOCAL_SPEI_SIGNING_SECRET = 'centli-local-spei-development-secret';

/** The development value of each secret the functions read, by the variable that names its parameter. */
const LOCAL_SECRETS: Readonly<Record<string, string>> = {
  SPEI_SIGNING_SECRET_PARAMETER: LOCAL_SPEI_SIGNING_SECRET,
};

/** Serves GetParameter for the parameters `environment` names (its `*_PARAMETER` variables with a local value); their names. */
export function mountSsm(server: LocalHttpServer, environment: Readonly<Record<string, string>>, region: string): string[] {
  const parameters = new Map<string, string>();
  for (const [variable, value] of Object.entries(LOCAL_SECRETS)) {
    const name = environment[variable];
    if (name) parameters.set(name, value);
  }
  server.operation('AmazonSSM.GetParameter', async (input) => {
    const name = String(input.Name ?? '');
    const value = parameters.get(name);
    if (value === undefined) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
    return {
      Parameter: {
        Name: name,
        Type: 'SecureString',
        // Without decryption SSM gives the ciphertext, never the secret.
        Value: input.WithDecryption === true ? value : Buffer.from(`local-ciphertext:${name}`).toString('base64'),
        Version: 1,
        LastModifiedDate: Date.now() / 1000,
        ARN: `arn:aws:ssm:${region}:${LOCAL_ACCOUNT_ID}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    };
  });
  // PutParameter, as a deployment first creates a stage's secret (scripts/spei-secret.ts): a
  // SecureString, never overwriting one unless asked.
  server.operation('AmazonSSM.PutParameter', async (input) => {
    const name = String(input.Name ?? '');
    if (input.Type !== 'SecureString') throw new AwsError('ValidationException', 'Only SecureString parameters are served locally.');
    if (typeof input.Value !== 'string' || input.Value.length === 0) throw new AwsError('ValidationException', 'Value must be a non-empty string.');
    if (parameters.has(name) && input.Overwrite !== true) throw new AwsError('ParameterAlreadyExists', `The parameter ${name} already exists.`);
    parameters.set(name, input.Value);
    return { Version: 1, Tier: 'Standard' };
  });
  return [...parameters.keys()];
}
