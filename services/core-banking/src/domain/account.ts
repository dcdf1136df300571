/** An account as Core Banking stores it (table centli-accounts-<stage>). */
export type AccountStatus = 'active' | 'frozen' | 'closed';

export interface Account {
  user_id: string;
  account_id: string;
  /** Integer minor units (centavos). */
  balance: number;
  currency: string;
  status: AccountStatus;
  name?: string;
  type?: string;
  /** The account's CLABE (lib/pure/clabe.ts), its SPEI address; the bank's own clearing account has none. */
  clabe?: string;
}
