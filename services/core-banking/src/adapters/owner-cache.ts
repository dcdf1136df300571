/**
 * Who owns an account, remembered for the life of the execution environment, so that a warm
 * transfer (or charge) makes one DynamoDB request, its transaction, instead of an index query
 * first.
 *
 * Why remembering is safe: the accounts table is keyed by `user_id`, so an account's owner is
 * part of its key and no service can change it (their roles only update accounts, never put or
 * delete them); account ids are never reused. What is remembered is only ever used as the key of
 * a guarded write (`attribute_exists(user_id)`), so even a wrong entry could not move money to
 * anyone: the transaction would be refused as "not found", and the stores drop the entry then.
 * An account the index does not know (yet) is not remembered, so an account created later is
 * found. The cache is bounded, least recently used first out, so a container that sees many
 * accounts holds at most `capacity` entries (about 100 bytes each).
 */
export const DEFAULT_OWNER_CACHE_CAPACITY = 10_000;

export class OwnerCache {
  /** A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first. */
  private readonly owners = new Map<string, string>();

  constructor(readonly capacity: number = DEFAULT_OWNER_CACHE_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new Error(`the owner cache's capacity must be a whole number ≥ 0, got ${capacity}`);
  }

  get size(): number {
    return this.owners.size;
  }

  /** The owner remembered for the account, if any; a hit makes it the most recently used. */
  get(accountId: string): string | undefined {
    const owner = this.owners.get(accountId);
    if (owner !== undefined) {
      this.owners.delete(accountId);
      this.owners.set(accountId, owner);
    }
    return owner;
  }

  /** Remembers an owner the accounts table named, evicting the least recently used entry when full. */
  remember(accountId: string, owner: string): void {
    if (this.capacity === 0) return;
    this.owners.delete(accountId);
    this.owners.set(accountId, owner);
    if (this.owners.size > this.capacity) {
      const oldest = this.owners.keys().next().value as string;
      this.owners.delete(oldest);
    }
  }

  /** Drops an entry a write found wrong (the account was not there under that owner). */
  forget(accountId: string): void {
    this.owners.delete(accountId);
  }
}

const byTable = new Map<string, OwnerCache>();

/**
 * The container's one cache for an accounts table, shared by every store on that table (the
 * transfer and the purchase charge both look up owners). Module scope: it lives as long as the
 * Lambda execution environment.
 */
export function ownerCacheFor(accountsTable: string): OwnerCache {
  let cache = byTable.get(accountsTable);
  if (!cache) {
    cache = new OwnerCache();
    byTable.set(accountsTable, cache);
  }
  return cache;
}
