/** The Lambda entry of BENEFITS_QUERY (app/benefits.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/BENEFITS_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { CatalogStore } from '../adapters/catalog-store';
import { getBenefits, type BenefitsDeps } from '../app/benefits';

let defaults: BenefitsDeps | undefined;
const defaultDeps = (): BenefitsDeps => (defaults ??= { store: new CatalogStore(), now: () => new Date() });

export const handler = eventHandler((query) => getBenefits(query, defaultDeps()), { service: 'marketplace', accepts: 'BENEFITS_QUERY' });
