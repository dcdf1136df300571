/** MACs with a KMS HMAC key (an alias; CENTLI_IDENTITY_KEY by default): the key never leaves KMS. The AgentCore Gateway identity (services/mcp) and the verified caller (services/voice) are signed this way. */
import { GenerateMacCommand, KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import { applyLocalEndpoints, requireEnv } from '@centli/kit/config';

let client: KMSClient | undefined;
function kms(): KMSClient {
  if (!client) {
    applyLocalEndpoints();
    client = new KMSClient({ maxAttempts: 3 });
  }
  return client;
}

const ALGORITHM = 'HMAC_SHA_256';

export class IdentityMac {
  constructor(
    private readonly keyId: string = requireEnv('CENTLI_IDENTITY_KEY'),
    private readonly client: Pick<KMSClient, 'send'> = kms(),
  ) {}

  async sign(message: Buffer): Promise<string> {
    const result = await this.client.send(new GenerateMacCommand({ KeyId: this.keyId, Message: message, MacAlgorithm: ALGORITHM }));
    return Buffer.from(result.Mac ?? []).toString('base64');
  }

  /** Whether the MAC is KMS's for this message; a MAC KMS refuses is false, any other failure throws. */
  async verify(message: Buffer, mac: string): Promise<boolean> {
    try {
      const result = await this.client.send(new VerifyMacCommand({ KeyId: this.keyId, Message: message, Mac: Buffer.from(mac, 'base64'), MacAlgorithm: ALGORITHM }));
      return result.MacValid === true;
    } catch (error) {
      if ((error as Error).name === 'KMSInvalidMacException') return false;
      throw error;
    }
  }
}
