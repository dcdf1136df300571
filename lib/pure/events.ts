/**
 * An event a function answers with, before it goes on the bus: its detail-type and its detail,
 * typed by the contract of that detail-type (schemas/). The publisher (lib/kit/publisher.ts)
 * checks and sends it; domain code builds it. Pure.
 */
import type { DetailOf, DetailType } from '@centli/schemas';

export interface OutgoingEvent<T extends DetailType = DetailType> {
  detailType: T;
  detail: DetailOf<T>;
}

/** Builds an outgoing event with its detail type-checked against the detail-type. */
export function outgoing<T extends DetailType>(detailType: T, detail: DetailOf<T>): OutgoingEvent<T> {
  return { detailType, detail };
}
