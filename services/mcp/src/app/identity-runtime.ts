/**
 * The KMS identity MAC in a running function, created once per container, on first use. Apart
 * from ./runtime.ts so that only the AgentCore handlers that sign or check gateway identities
 * bundle the KMS client.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { IdentityMac } from '@centli/kit/identity-mac';

let mac: IdentityMac | undefined;

/** MACs over gateway identities with the KMS identity key, through a traced client. */
export function identityMac(): IdentityMac {
  return (mac ??= new IdentityMac(requireEnv('CENTLI_IDENTITY_KEY'), awsClient(() => new KMSClient({ maxAttempts: 3 }))));
}
