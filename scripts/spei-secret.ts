/**
 * The SPEI signing secret of a stage: the shared secret Core Banking and the SPEI participant sign
 * and verify each other's messages with, kept in SSM Parameter Store as a SecureString at
 * `/centli/<stage>/spei/signing-secret` (services/core-banking/serverless.yml). CloudFormation
 * cannot create a SecureString, so `npm run deploy` makes sure it exists before Core Banking is
 * deployed: a new stage gets a random 256-bit secret; an existing one is never replaced (the
 * participant holds it). The secret is never printed: give it to the participant with
 * `aws ssm get-parameter --with-decryption --name /centli/<stage>/spei/signing-secret`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/** The parameter's name for a stage: the one services/core-banking/serverless.yml reads. */
export const speiSecretParameter = (stage: string): string => `/centli/${stage}/spei/signing-secret`;

/**
 * Creates the stage's SPEI signing secret if it does not exist yet.
 *
 * @returns `created` for a new secret, `kept` when the stage already had one.
 */
export async function ensureSpeiSigningSecret(stage: string, client: SSMClient): Promise<'created' | 'kept'> {
  const Name = speiSecretParameter(stage);
  try {
    await client.send(new GetParameterCommand({ Name }));
    return 'kept';
  } catch (error) {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
  }
  try {
    await client.send(new PutParameterCommand({ Name, Type: 'SecureString', Value: randomBytes(32).toString('base64url'), Overwrite: false, Description: `Centli ${stage}: the secret the SPEI participant and Core Banking sign with` }));
    return 'created';
  } catch (error) {
    // Another deployment created it in between: that one stands.
    if ((error as Error).name === 'ParameterAlreadyExists') return 'kept';
    throw error;
  }
}
