/**
 * The KMS HMAC operations for the keys the services declare (`AWS::KMS::Key` with an HMAC key
 * spec, and their `AWS::KMS::Alias` names), so code that signs with `GenerateMac` and checks with
 * `VerifyMac` runs unmodified against the local stack. Each key is 32 random bytes made when the
 * stack starts and never leaves this process, as a KMS key never leaves KMS.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AwsError, type LocalHttpServer } from './http';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import type { CloudFormationResource } from './serverless-config';

const ALGORITHMS: Record<string, string> = { HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512', HMAC_SHA_224: 'sha224' };

interface HmacKey {
  arn: string;
  secret: Buffer;
  algorithm: string;
}

/** Serves GenerateMac and VerifyMac for every HMAC key among the services' resources. */
export function mountKms(server: LocalHttpServer, resources: readonly Readonly<Record<string, CloudFormationResource>>[], region: string): string[] {
  const keys = new Map<string, HmacKey>();
  const names: string[] = [];
  for (const group of resources) {
    const byLogicalId = new Map<string, HmacKey>();
    for (const [logicalId, resource] of Object.entries(group)) {
      if (resource?.Type !== 'AWS::KMS::Key') continue;
      const spec = String(resource.Properties?.KeySpec ?? '');
      if (!spec.startsWith('HMAC_')) continue;
      const id = `local-${logicalId.toLowerCase()}`;
      const key: HmacKey = { arn: `arn:aws:kms:${region}:${LOCAL_ACCOUNT_ID}:key/${id}`, secret: randomBytes(32), algorithm: `HMAC_SHA_${spec.slice('HMAC_'.length)}` };
      byLogicalId.set(logicalId, key);
      keys.set(key.arn, key);
      keys.set(id, key);
    }
    for (const resource of Object.values(group)) {
      if (resource?.Type !== 'AWS::KMS::Alias') continue;
      const alias = resource.Properties?.AliasName;
      const target = (resource.Properties?.TargetKeyId as { Ref?: unknown } | undefined)?.Ref;
      const key = typeof target === 'string' ? byLogicalId.get(target) : undefined;
      if (typeof alias !== 'string' || !key) continue;
      keys.set(alias, key);
      keys.set(`arn:aws:kms:${region}:${LOCAL_ACCOUNT_ID}:${alias}`, key);
      names.push(alias);
    }
  }
  const find = (input: Record<string, unknown>): HmacKey => {
    const key = keys.get(String(input.KeyId ?? ''));
    if (!key) throw new AwsError('NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
    if (input.MacAlgorithm !== key.algorithm) throw new AwsError('InvalidKeyUsageException', `${String(input.MacAlgorithm)} is not valid for this key; it is ${key.algorithm}`);
    return key;
  };
  const mac = (key: HmacKey, message: unknown): Buffer => {
    if (typeof message !== 'string' || message === '') throw new AwsError('ValidationException', 'Message is required');
    const bytes = Buffer.from(message, 'base64');
    if (bytes.length > 4096) throw new AwsError('ValidationException', 'Message must be at most 4096 bytes');
    return createHmac(ALGORITHMS[key.algorithm] ?? 'sha256', key.secret).update(bytes).digest();
  };
  server.operation('TrentService.GenerateMac', async (input) => {
    const key = find(input);
    return { KeyId: key.arn, MacAlgorithm: key.algorithm, Mac: mac(key, input.Message).toString('base64') };
  });
  server.operation('TrentService.VerifyMac', async (input) => {
    const key = find(input);
    const expected = mac(key, input.Message);
    const given = Buffer.from(String(input.Mac ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AwsError('KMSInvalidMacException', 'The MAC is not valid for this message and key');
    return { KeyId: key.arn, MacAlgorithm: key.algorithm, MacValid: true };
  });
  return names;
}
