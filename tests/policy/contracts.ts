/**
 * What the contracts say the templates must grant, derived here from the sources themselves (the
 * requests' routes in schemas/, the tool registry, the plans' queries, serverless.common.yml), not
 * from the generated wiring the serverless.yml files read: so a fault in the generation shows as a
 * template that grants more or less than the contracts say.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemas, requestRoutes, routeOf, type RequestType } from '@centli/schemas';
import { parseCloudFormationYaml } from '../../local/cloudformation-yaml';
import { REPOSITORY_ROOT } from '../../local/serverless-config';
import { queriesMade } from '../../lib/tools/plan';
import { tools } from '../../lib/tools/registry';

const commonFile = join(REPOSITORY_ROOT, 'serverless.common.yml');
const common = parseCloudFormationYaml(readFileSync(commonFile, 'utf8'), commonFile) as { frontDoors: string[]; sources: string[] };

/** The sources of the components that act for a customer: every request rule's sources. */
export const FRONT_DOORS: readonly string[] = [...common.frontDoors].sort();

/** Every source the bus accepts (its resource policy denies the rest). */
export const SOURCES: readonly string[] = [...common.sources].sort();

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** A request, routed as its schema says. */
export interface RoutedRequest {
  request: RequestType;
  /** The handler's service directory (`core-banking`). */
  service: string;
  /** The handler's function key (`balance`). */
  fn: string;
  answers: readonly string[];
  saga?: { definition: string; answers: readonly string[] };
}

export const ROUTES: readonly RoutedRequest[] = (Object.keys(requestRoutes) as RequestType[]).sort().map((request) => {
  const route = routeOf(request);
  const [service, fn] = route.handler.split('/') as [string, string];
  return { request, service, fn, answers: route.answers, ...(route.saga ? { saga: route.saga } : {}) };
});

/** Every function that handles requests: what its rule accepts and what its role may put. */
export const HANDLERS: ReadonlyArray<{ service: string; fn: string; accepts: string[]; puts: string[] }> = sorted(ROUTES.map((route) => `${route.service}/${route.fn}`)).map((handler) => {
  const [service, fn] = handler.split('/') as [string, string];
  const mine = ROUTES.filter((route) => route.service === service && route.fn === fn);
  return { service, fn, accepts: sorted(mine.map((route) => route.request)), puts: sorted(mine.flatMap((route) => route.answers)) };
});

/** Every saga the routes name, with its service and everything it answers. */
export const SAGAS: ReadonlyArray<{ definition: string; service: string; puts: string[] }> = sorted(ROUTES.flatMap((route) => (route.saga ? [route.saga.definition] : []))).map((definition) => {
  const mine = ROUTES.filter((route) => route.saga?.definition === definition);
  return { definition, service: (mine[0] as RoutedRequest).service, puts: sorted(mine.flatMap((route) => route.saga?.answers ?? [])) };
});

/** What a front door may put (or invoke the handler of): every tool's request and every query a plan makes. */
export const DOOR_REQUESTS: readonly string[] = sorted([...tools.map((tool) => tool.request), ...queriesMade]);

const doorRoutes = (): RoutedRequest[] =>
  DOOR_REQUESTS.map((request) => {
    const route = ROUTES.find((candidate) => candidate.request === request);
    if (!route) throw new Error(`a front door makes ${request}, which no schema routes`);
    return route;
  });

/** The functions a front door may invoke, as `<service>/<function>`. */
export const DOOR_HANDLERS: readonly string[] = sorted(doorRoutes().map((route) => `${route.service}/${route.fn}`));

/** What the chat's responder hears: every answer to a door's request, a saga's later answers included. */
export const DOOR_ANSWERS: readonly string[] = sorted(doorRoutes().flatMap((route) => [...route.answers, ...(route.saga?.answers ?? [])]));

/** The sources those answers come with. */
export const ANSWER_SOURCES: readonly string[] = sorted(doorRoutes().map((route) => `centli.${route.service}`));

/**
 * What a service tells a customer on its own (a notice: `x-centli-notice` in its event schema), read
 * from the schemas themselves: the function that publishes it and the one whose rule hears it.
 */
export const NOTICES: ReadonlyArray<{ notice: string; publisher: { service: string; fn: string }; listener: { service: string; fn: string } }> = Object.entries(eventSchemas)
  .flatMap(([notice, schema]) => {
    const route = (schema as { 'x-centli-notice'?: { publisher: string; listener: string } })['x-centli-notice'];
    if (!route) return [];
    const end = (handler: string) => {
      const [service, fn] = handler.split('/') as [string, string];
      return { service, fn };
    };
    return [{ notice, publisher: end(route.publisher), listener: end(route.listener) }];
  })
  .sort((a, b) => a.notice.localeCompare(b.notice));

/** osls's logical id of a function (`get-beneficiaries` → `GetDashbeneficiariesLambdaFunction`). */
export function functionLogicalId(fn: string): string {
  const normalized = fn.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}
