/**
 * A secret a function needs at run time (the SPEI signing secret), kept in SSM Parameter Store as a
 * SecureString, never in the function's configuration: the configuration names the parameter
 * (`<NAME>_PARAMETER`), and the value is read with Powertools Parameters, decrypted and cached for
 * `maxAge` seconds per container, so a rotated secret is picked up within that time. The SSM client
 * is the kit's (traced, and pointed at the local stack, which serves GetParameter, under
 * `sls invoke local`).
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { awsClient } from './aws';
import { requireEnv } from './config';

let provider: SSMProvider | undefined;

/** The cached reader of the SecureString parameter the environment variable `nameVariable` names. */
export function secureParameter(nameVariable: string, maxAge = 300): () => Promise<string> {
  return async () => {
    provider ??= new SSMProvider({ awsSdkV3Client: awsClient(() => new SSMClient({ maxAttempts: 5 })) });
    const value = await provider.get(requireEnv(nameVariable), { decrypt: true, maxAge });
    if (typeof value !== 'string' || value === '') throw new Error(`the parameter ${requireEnv(nameVariable)} (${nameVariable}) is empty`);
    return value;
  };
}
