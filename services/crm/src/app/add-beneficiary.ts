/** BENEFICIARY_ADD_REQUEST → BENEFICIARY_ADDED or BENEFICIARY_REJECTED, exactly once per request_id. */
import { failureEvent, type Answer } from '@centli/kit/event-handler';
import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { replay } from '@centli/pure/outcome';
import type { BeneficiaryAddRequest } from '@centli/schemas';
import type { AccountDirectory } from '../adapters/account-directory';
import type { BeneficiaryStore } from '../adapters/beneficiary-store';
import { checkNewBeneficiary, planBeneficiary, requestOutcome } from '../domain/beneficiary';
import { AccountNotFoundError, DuplicateAliasError } from '../errors';

export interface AddBeneficiaryDeps {
  store: Pick<BeneficiaryStore, 'commitBeneficiary' | 'settleRefusal'>;
  accounts: Pick<AccountDirectory, 'holderOf'>;
  now: () => Date;
  /** How to wait between attempts after a conflict; real time unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Saves the beneficiary, or says why not (a `BeneficiaryError`, which the kit answers with
 * BENEFICIARY_REJECTED). A request_id seen before gets its first outcome again and adds
 * nothing; the same request_id with another request is refused (REQUEST.ID_REUSED).
 *
 * A Centli account is saved under its holder's registered name (Core Banking's), not the name
 * given: what the customer approved showed that name, and a payee can never be renamed into
 * someone else by whoever asked.
 *
 * Refusals that depend only on the request (an invalid CLABE, a taken alias) write nothing: a
 * redelivery is refused the same way. A refusal that depends on what exists now (the account
 * does not exist) is recorded, so a redelivery after the account appears is still refused.
 */
export async function addBeneficiary(request: BeneficiaryAddRequest, deps: AddBeneficiaryDeps): Promise<Answer> {
  const requestHash = requestFingerprint(request as unknown as Record<string, unknown>);
  let checked = checkNewBeneficiary(request);
  if ('account_id' in checked.destination) {
    const holder = await deps.accounts.holderOf(checked.destination.account_id);
    if (!holder) {
      const refusal = failureEvent('BENEFICIARY_REJECTED', request, new AccountNotFoundError());
      return replay(await deps.store.settleRefusal(requestOutcome(request, 'refused', refusal, deps.now().toISOString())), requestHash);
    }
    // Confirmation of Payee: a Centli account is saved under its holder's registered name, whatever name was given.
    if (holder.holder_name !== undefined) checked = { ...checked, name: holder.holder_name };
  }
  return retryOnContention(
    async () => {
      const plan = planBeneficiary(request, checked, deps.now());
      const result = await deps.store.commitBeneficiary(plan);
      switch (result.status) {
        case 'committed':
          return plan.added;
        case 'served':
          return replay(result.first, requestHash);
        case 'duplicate_alias':
          throw new DuplicateAliasError(checked.alias);
        case 'contention':
          throw new ContentionError();
      }
    },
    { what: 'the beneficiaries', attempts: 8, capMs: 500, sleep: deps.sleep },
  );
}
