/** The Lambda entry of ALIAS_RESOLUTION_REQUEST (app/resolve-alias.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/ALIAS_RESOLUTION_REQUEST';
import { eventHandler } from '@centli/kit/event-handler';
import { BeneficiaryStore } from '../adapters/beneficiary-store';
import { resolveAlias, type ResolveAliasDeps } from '../app/resolve-alias';

let defaults: ResolveAliasDeps | undefined;
const defaultDeps = (): ResolveAliasDeps => (defaults ??= { store: new BeneficiaryStore() });

export const handler = eventHandler((request) => resolveAlias(request, defaultDeps()), { service: 'crm', accepts: 'ALIAS_RESOLUTION_REQUEST' });
