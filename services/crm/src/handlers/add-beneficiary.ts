/** The Lambda entry of BENEFICIARY_ADD_REQUEST (app/add-beneficiary.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/BENEFICIARY_ADD_REQUEST';
import { eventHandler } from '@centli/kit/event-handler';
import { AccountDirectory } from '../adapters/account-directory';
import { BeneficiaryStore } from '../adapters/beneficiary-store';
import { addBeneficiary, type AddBeneficiaryDeps } from '../app/add-beneficiary';

let defaults: AddBeneficiaryDeps | undefined;
const defaultDeps = (): AddBeneficiaryDeps => (defaults ??= { store: new BeneficiaryStore(), accounts: new AccountDirectory(), now: () => new Date() });

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const addBeneficiaryOptions = { service: 'crm', accepts: 'BENEFICIARY_ADD_REQUEST' as const };

export const handler = eventHandler((request) => addBeneficiary(request, defaultDeps()), addBeneficiaryOptions);
