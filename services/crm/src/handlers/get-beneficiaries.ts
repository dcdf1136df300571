/** The Lambda entry of BENEFICIARIES_QUERY (app/get-beneficiaries.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/BENEFICIARIES_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { BeneficiaryStore } from '../adapters/beneficiary-store';
import { listBeneficiaries, type ListBeneficiariesDeps } from '../app/get-beneficiaries';

let defaults: ListBeneficiariesDeps | undefined;
const defaultDeps = (): ListBeneficiariesDeps => (defaults ??= { store: new BeneficiaryStore() });

export const handler = eventHandler((query) => listBeneficiaries(query, defaultDeps()), { service: 'crm', accepts: 'BENEFICIARIES_QUERY' });
