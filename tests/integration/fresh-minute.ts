/**
 * Every integration and browser test starts with the seeded customers' rate limits unspent
 * (lib/pure/rate-limit.ts): the tests borrow the same five customers, and one test's calls in
 * a minute must not refuse the next test's. tests/integration/rate-limits.test.ts spends them
 * on purpose, within one test.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { rateWindow } from '@centli/pure/rate-limit';
import { documents, endpoints, table } from './support';

beforeEach(async () => {
  const now = Date.now();
  const keys = Object.keys(endpoints().tokens).flatMap((userId) =>
    (['read', 'write'] as const).flatMap((kind) => [now - 60_000, now, now + 60_000].map((at) => rateWindow(userId, kind, new Date(at)).key)),
  );
  for (let start = 0; start < keys.length; start += 25) {
    const batch = keys.slice(start, start + 25).map((pk) => ({ DeleteRequest: { Key: { pk } } }));
    await documents().send(new BatchWriteCommand({ RequestItems: { [table('rate-limits')]: batch } }));
  }
});
