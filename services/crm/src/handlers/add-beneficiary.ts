/** BENEFICIARY_ADD_REQUEST → BENEFICIARY_ADDED or BENEFICIARY_REJECTED, exactly once per request_id. */
import { ContentionError, retryOnContention, eventHandler, type Answer } from '@centli/kit';
import type { BeneficiaryAddRequest } from '@centli/schemas';
import { AccountDirectory } from '../adapters/account-directory';
import { BeneficiaryStore } from '../adapters/beneficiary-store';
import { checkNewBeneficiary, planBeneficiary } from '../domain/beneficiary';
import { AccountNotFoundError, DuplicateAliasError } from '../errors';

export interface AddBeneficiaryDeps {
  store: Pick<BeneficiaryStore, 'commitBeneficiary' | 'getOutcome'>;
  accounts: Pick<AccountDirectory, 'accountExists'>;
  now: () => Date;
  /** How to wait between attempts after a conflict; real time unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

let defaults: AddBeneficiaryDeps | undefined;
const defaultDeps = (): AddBeneficiaryDeps => (defaults ??= { store: new BeneficiaryStore(), accounts: new AccountDirectory(), now: () => new Date() });

/**
 * Saves the beneficiary, or says why not (a `BeneficiaryError`, which the kit answers with
 * BENEFICIARY_REJECTED). A refusal writes nothing. A request_id seen before gets the first
 * BENEFICIARY_ADDED again and adds nothing.
 */
export async function addBeneficiary(request: BeneficiaryAddRequest, deps: AddBeneficiaryDeps = defaultDeps()): Promise<Answer> {
  const checked = checkNewBeneficiary(request);
  if ('account_id' in checked.destination && !(await deps.accounts.accountExists(checked.destination.account_id))) throw new AccountNotFoundError();
  return retryOnContention(
    async () => {
      const plan = planBeneficiary(request, checked, deps.now());
      const result = await deps.store.commitBeneficiary(plan);
      switch (result.status) {
        case 'committed':
          return plan.added;
        case 'duplicate_request': {
          const first = await deps.store.getOutcome(request.user_id, request.request_id);
          if (!first) throw new Error(`request ${request.request_id} refused the write but its outcome cannot be read`);
          return first.outcome;
        }
        case 'duplicate_alias':
          throw new DuplicateAliasError(checked.alias);
        case 'conflict':
          throw new ContentionError();
      }
    },
    { what: 'the beneficiaries', attempts: 8, capMs: 500, sleep: deps.sleep },
  );
}

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const addBeneficiaryOptions = { service: 'crm', accepts: 'BENEFICIARY_ADD_REQUEST' as const, failure: 'BENEFICIARY_REJECTED' as const };

export const handler = eventHandler(addBeneficiary, addBeneficiaryOptions);
