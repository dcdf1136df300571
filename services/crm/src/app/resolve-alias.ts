/** ALIAS_RESOLUTION_REQUEST → ALIAS_RESOLUTION_RESPONSE: who the customer means, from their own beneficiaries only. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { AliasResolutionRequest } from '@centli/schemas';
import type { BeneficiaryStore } from '../adapters/beneficiary-store';
import { matchAlias, queryKey } from '../domain/alias-match';
import { toWire } from '../domain/beneficiary';

export interface ResolveAliasDeps {
  store: Pick<BeneficiaryStore, 'findByAliasKey' | 'listAll'>;
}

/**
 * The exact alias through the index first (one small read); only when it finds nobody are the
 * customer's beneficiaries read to match names, words and typos.
 */
export async function resolveAlias(request: AliasResolutionRequest, deps: ResolveAliasDeps): Promise<Answer> {
  const exact = await deps.store.findByAliasKey(request.user_id, queryKey(request.alias));
  const beneficiaries = exact.length > 0 ? exact : await deps.store.listAll(request.user_id);
  const match = matchAlias(request.user_id, request.alias, beneficiaries);
  const ids = { request_id: request.request_id, correlation_id: request.correlation_id, user_id: request.user_id, alias: request.alias };
  return outgoing(
    'ALIAS_RESOLUTION_RESPONSE',
    match.status === 'resolved'
      ? { ...ids, status: 'resolved', beneficiary: toWire(match.beneficiary) }
      : { ...ids, status: match.status, candidates: match.candidates.map(toWire) },
  );
}
