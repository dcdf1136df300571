/**
 * A customer as the Cards service keeps them (table centli-customers-<stage>, PK user_id):
 * seed 004's customer, whose customer_id is Centli's user_id.
 */
import { AddressRequiredError, CustomerInactiveError, CustomerNotFoundError } from '../errors';

export interface CustomerItem {
  user_id: string;
  name: string;
  email?: string;
  phone?: string;
  /** Where cards are sent unless a request says otherwise. */
  address?: string;
  status: 'active' | 'suspended';
}

/**
 * Seed 004's first step: the customer exists and may operate their cards.
 *
 * @throws CustomerNotFoundError or CustomerInactiveError.
 */
export function authenticate(customer: CustomerItem | undefined): CustomerItem {
  if (!customer) throw new CustomerNotFoundError();
  if (customer.status !== 'active') throw new CustomerInactiveError();
  return customer;
}

/**
 * Where a new card goes: the address the request gives, tidied, else the one on file.
 *
 * @throws AddressRequiredError when there is neither.
 */
export function deliveryAddress(requested: string | undefined, customer: CustomerItem): string {
  const address = (requested ?? customer.address)?.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!address) throw new AddressRequiredError();
  return address;
}
