/**
 * The SPEI settings a stage sets (serverless.yml's `custom.spei` and `custom.speiOut`): the bank's
 * code, its SPEI in-transit and settlement accounts, the shared secret, the participant's base URL
 * and how long the saga waits for an order's result.
 */
import { intFromEnv, requireEnv } from '@centli/kit/config';
import type { SpeiAccounts } from '../domain/spei-out';
import type { SpeiOrderStore } from './spei-orders';

/** The bank's SPEI accounts with their owners, found once per container (owners never change). */
export function speiAccountsFrom(store: Pick<SpeiOrderStore, 'findAccountOwner'>, env: NodeJS.ProcessEnv = process.env): () => Promise<SpeiAccounts> {
  let found: Promise<SpeiAccounts> | undefined;
  const owned = async (variable: string) => {
    const accountId = env[variable];
    if (!accountId) throw new Error(`environment variable ${variable} is not set`);
    const owner = await store.findAccountOwner(accountId);
    if (!owner) throw new Error(`the SPEI account ${accountId} (${variable}) does not exist`);
    return { account_id: accountId, user_id: owner };
  };
  return () => {
    found ??= Promise.all([owned('SPEI_IN_TRANSIT_ACCOUNT_ID'), owned('SPEI_CLEARING_ACCOUNT_ID')]).then(([inTransit, settlement]) => ({ inTransit, settlement }));
    // A failed lookup is not remembered: the next invocation asks again.
    found.catch(() => (found = undefined));
    return found;
  };
}

export const speiBankCode = (): string => requireEnv('SPEI_BANK_CODE');

/** How long the saga waits for an order's result, in seconds (a stage parameter: short locally). */
export const speiOrderTimeoutSeconds = (): number => intFromEnv('SPEI_ORDER_TIMEOUT_SECONDS', 300);
