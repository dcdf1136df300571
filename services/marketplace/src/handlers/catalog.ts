/** The Lambda entry of CATALOG_QUERY (app/catalog.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/CATALOG_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { CatalogStore } from '../adapters/catalog-store';
import { searchCatalog, type CatalogDeps } from '../app/catalog';

let defaults: CatalogDeps | undefined;
const defaultDeps = (): CatalogDeps => (defaults ??= { store: new CatalogStore(), now: () => new Date() });

export const handler = eventHandler((query) => searchCatalog(query, defaultDeps()), { service: 'marketplace', accepts: 'CATALOG_QUERY' });
