/** BENEFICIARIES_QUERY → BENEFICIARIES_RESPONSE: a page of the customer's beneficiaries. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { BeneficiariesQuery } from '@centli/schemas';
import type { BeneficiaryStore } from '../adapters/beneficiary-store';
import { toWire } from '../domain/beneficiary';
import { decodeCursor, encodeCursor } from '../domain/pages';

export interface ListBeneficiariesDeps {
  store: Pick<BeneficiaryStore, 'listPage'>;
}

export async function listBeneficiaries(query: BeneficiariesQuery, deps: ListBeneficiariesDeps): Promise<Answer> {
  const start = decodeCursor(query.user_id, query.cursor);
  const page = await deps.store.listPage(query.user_id, query.limit ?? 20, start);
  const nextCursor = encodeCursor(query.user_id, page.lastKey);
  return outgoing('BENEFICIARIES_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    beneficiaries: page.items.map(toWire),
    ...(nextCursor === undefined ? {} : { next_cursor: nextCursor }),
  });
}
