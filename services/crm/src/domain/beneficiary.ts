/**
 * A beneficiary as CRM stores it (table centli-beneficiaries-<stage>, PK user_id, SK
 * beneficiary_id) and the rules for adding one. The table also holds two kinds of helper
 * item under the same customer, told apart by the sort key's prefix:
 *
 * - `ben_<id>`: a beneficiary, the only items that carry `alias_lower` (so the only items in
 *   the alias index);
 * - `alias#<alias_lower>`: reserves an alias for one customer, so two beneficiaries can never
 *   share an alias after normalisation, whatever the timing;
 * - `request#<request_id>`: the outcome of a BENEFICIARY_ADD_REQUEST, so a redelivery answers
 *   the first outcome. Keyed under the customer, so one customer's request id never finds
 *   another's answer.
 */
import { createHash } from 'node:crypto';
import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeRecord, type OutcomeRecord } from '@centli/pure/outcome';
import type { Beneficiary, BeneficiaryAddRequest } from '@centli/schemas';
import { parseClabe } from './clabe';
import { aliasKey } from './normalize';
import { InvalidAliasError, InvalidClabeError, InvalidDestinationError, InvalidNameError } from '../errors';

export const BENEFICIARY_PREFIX = 'ben_';
export const ALIAS_PREFIX = 'alias#';
export const REQUEST_PREFIX = 'request#';

export interface BeneficiaryItem {
  user_id: string;
  /** `ben_<id>`. */
  beneficiary_id: string;
  name: string;
  alias: string;
  /** The alias's matching key ({@link aliasKey}); the alias index's partition key. */
  alias_lower: string;
  account_id?: string;
  clabe?: string;
  request_id?: string;
  created_at?: string;
}

export interface AliasReservation {
  user_id: string;
  /** `alias#<alias_lower>`. */
  beneficiary_id: string;
  /** The beneficiary that holds the alias. */
  holder_id: string;
}

/** A request's outcome (lib/pure/outcome.ts), under its customer. */
export interface RequestOutcome extends OutcomeRecord<'added' | 'refused'> {
  user_id: string;
  /** `request#<request_id>`. */
  beneficiary_id: string;
}

/** The outcome record of a request: what its every redelivery answers. */
export function requestOutcome(request: BeneficiaryAddRequest, status: RequestOutcome['status'], outcome: OutgoingEvent, at: string): RequestOutcome {
  return {
    user_id: request.user_id,
    beneficiary_id: `${REQUEST_PREFIX}${request.request_id}`,
    ...outcomeRecord(status, outcome, at, requestFingerprint(request as unknown as Record<string, unknown>)),
  };
}

/** What the customer sees of a beneficiary. */
export function toWire(item: BeneficiaryItem): Beneficiary {
  return {
    beneficiary_id: item.beneficiary_id,
    name: item.name,
    alias: item.alias,
    ...(item.account_id === undefined ? {} : { account_id: item.account_id }),
    ...(item.clabe === undefined ? {} : { clabe: item.clabe }),
    ...(item.created_at === undefined ? {} : { added_at: item.created_at }),
  };
}

export const ALIAS_MAX_LENGTH = 40;
export const NAME_MAX_LENGTH = 100;

// Letters of any script (accents and ñ included), digits, spaces, and . ' ’ - between them.
const ALIAS_CHARACTERS = /^[\p{L}\p{M}\p{N} .'’-]+$/u;
const NAME_CHARACTERS = /^[\p{L}\p{M}\p{N} .,'’&-]+$/u;

/** A valid BENEFICIARY_ADD_REQUEST, tidied: trimmed text, single spaces, the CLABE as 18 digits. */
export interface NewBeneficiary {
  name: string;
  alias: string;
  aliasLower: string;
  destination: { account_id: string } | { clabe: string };
}

const tidy = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ');

/**
 * Refuses what is wrong with the request itself, before anything is read or written: the
 * name, the alias (length, characters), and the destination (exactly one of account_id and
 * CLABE; a CLABE of 18 digits with a valid check digit).
 */
export function checkNewBeneficiary(request: BeneficiaryAddRequest): NewBeneficiary {
  const name = tidy(request.name);
  if (name.length < 2 || name.length > NAME_MAX_LENGTH) throw new InvalidNameError({ rule: 'length', min: 2, max: NAME_MAX_LENGTH });
  if (!NAME_CHARACTERS.test(name) || !/\p{L}/u.test(name)) throw new InvalidNameError({ rule: 'characters' });

  const alias = tidy(request.alias);
  if (alias.length < 1 || alias.length > ALIAS_MAX_LENGTH) throw new InvalidAliasError({ rule: 'length', min: 1, max: ALIAS_MAX_LENGTH });
  if (!ALIAS_CHARACTERS.test(alias) || !/\p{L}/u.test(alias)) {
    throw new InvalidAliasError({ rule: 'characters' });
  }

  const hasAccount = request.account_id !== undefined;
  const hasClabe = request.clabe !== undefined;
  if (hasAccount === hasClabe) {
    throw new InvalidDestinationError(hasAccount ? 'both' : 'none');
  }
  let destination: NewBeneficiary['destination'];
  if (hasClabe) {
    const parsed = parseClabe(request.clabe as string);
    if ('problem' in parsed) {
      throw new InvalidClabeError(parsed.problem);
    }
    destination = { clabe: parsed.clabe };
  } else {
    destination = { account_id: request.account_id as string };
  }
  return { name, alias, aliasLower: aliasKey(alias), destination };
}

/** Stable across redeliveries of the same request, distinct across customers. */
export function beneficiaryIdFor(request: Pick<BeneficiaryAddRequest, 'user_id' | 'request_id'>): string {
  const digest = createHash('sha256').update(`${request.user_id}\u0000${request.request_id}`).digest('base64url');
  return `${BENEFICIARY_PREFIX}${digest.slice(0, 22)}`;
}

export interface BeneficiaryPlan {
  item: BeneficiaryItem;
  reservation: AliasReservation;
  record: RequestOutcome;
  added: OutgoingEvent<'BENEFICIARY_ADDED'>;
}

/** Everything adding the beneficiary writes, computed before the one transaction. */
export function planBeneficiary(request: BeneficiaryAddRequest, checked: NewBeneficiary, now: Date): BeneficiaryPlan {
  const at = now.toISOString();
  const item: BeneficiaryItem = {
    user_id: request.user_id,
    beneficiary_id: beneficiaryIdFor(request),
    name: checked.name,
    alias: checked.alias,
    alias_lower: checked.aliasLower,
    ...checked.destination,
    request_id: request.request_id,
    created_at: at,
  };
  const added: OutgoingEvent<'BENEFICIARY_ADDED'> = {
    detailType: 'BENEFICIARY_ADDED',
    detail: {
      request_id: request.request_id,
      correlation_id: request.correlation_id,
      user_id: request.user_id,
      beneficiary: toWire(item),
      added_at: at,
    },
  };
  return {
    item,
    reservation: { user_id: request.user_id, beneficiary_id: `${ALIAS_PREFIX}${checked.aliasLower}`, holder_id: item.beneficiary_id },
    record: requestOutcome(request, 'added', added, at),
    added,
  };
}
