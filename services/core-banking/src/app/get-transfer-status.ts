/**
 * TRANSFER_STATUS_QUERY → TRANSFER_STATUS_RESPONSE: where one of the customer's SPEI transfers is,
 * with its CEP's fields. Named by transfer id or clave de rastreo, or the latest to a CLABE, or
 * the customer's latest; only the caller's own transfers: another customer's is not found, the
 * same answer as one that does not exist.
 */
import { outgoing } from '@centli/pure/events';
import type { Answer } from '@centli/kit/event-handler';
import type { TransferStatusQuery } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import { cepOf, statusOf, type SpeiOrderRecord } from '../domain/spei-out';
import { TransferStatusNotFoundError } from '../errors';
import { givenBackWhy } from './spei-end';

export interface TransferStatusDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'byClave' | 'latest'>;
  timeZone: string;
}

async function find(query: TransferStatusQuery, store: TransferStatusDeps['store']): Promise<SpeiOrderRecord | undefined> {
  if (query.transfer_id !== undefined) {
    const record = await store.getOrder(query.transfer_id);
    return record?.user_id === query.user_id ? record : undefined;
  }
  if (query.clave_rastreo !== undefined) return store.byClave(query.user_id, query.clave_rastreo);
  return store.latest(query.user_id, query.to_clabe);
}

export async function getTransferStatus(query: TransferStatusQuery, deps: TransferStatusDeps): Promise<Answer> {
  const record = await find(query, deps.store);
  if (!record) throw new TransferStatusNotFoundError(query.transfer_id !== undefined ? 'transfer_id' : query.clave_rastreo !== undefined ? 'clave_rastreo' : query.to_clabe !== undefined ? 'to_clabe' : undefined);
  const why = givenBackWhy(record);
  return outgoing('TRANSFER_STATUS_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    transfer_id: record.transfer_id,
    status: statusOf(record),
    ...(why ? { reason: why.code, message: why.message } : {}),
    ...(record.return_reason ? { return_reason: record.return_reason } : {}),
    cep: cepOf(record, deps.timeZone),
    ...(record.sent_at ? { sent_at: record.sent_at } : {}),
    ...(record.status === 'liquidada' && record.ended_at ? { settled_at: record.ended_at } : {}),
    updated_at: record.updated_at,
  });
}
