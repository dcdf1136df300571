/**
 * Derives the wiring from the contracts, so no list of detail-types is kept by hand anywhere:
 * - from each request's route (`x-centli` in schemas/events/<REQUEST>.schema.json): for every
 *   service function that handles requests, the detail-types its rule accepts and those its role
 *   may put (the requests' `answers`); for every saga, what it answers later (`saga.answers`);
 * - from the tool registry (every tool's `request`) and the queries the plans and the doors'
 *   follow-ups make (`queriesMade`, lib/tools/plan.ts): what the front doors may put on the bus,
 *   the functions they may invoke (those requests' handlers), and what the chat's responder
 *   listens for (every answer to those requests, the sagas' included) and from which sources.
 * - from each notice's route (`x-centli-notice`: an event a service publishes on its own, not as an
 *   answer, such as SPEI_RECEIVED): what its publisher's role may put, and what its listener's
 *   rule accepts and from which source;
 * `npm run schemas` (schemas/generate.ts) writes generated.json beside this file; `--check`
 * compares. The services' serverless.yml files read it with
 * `${file(../../schemas/wiring/generated.json):<path>}`, which osls and the local stack's variable
 * resolver both read as data; lib/infra/template-policy checks the sagas' grants against it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queriesMade } from '../../lib/tools/plan';

const here = __dirname;
const eventsDir = join(here, '..', 'events');
const registryPath = join(here, '..', 'tools', 'registry.json');
export const wiringPath = join(here, 'generated.json');

/** A request's route, as its schema declares it (`x-centli`). */
export interface Route {
  /** `<service>/<function>`. */
  handler: string;
  answers: string[];
  saga?: { definition: string; answers: string[] };
}

/** A service function that handles requests. */
export interface FunctionWiring {
  /** The detail-types its rule accepts (from the front doors only; a notice's listener, from `from`). */
  accepts: string[];
  /** A notice listener's rule: the sources of the notices it accepts (`centli.<publishing service>`). */
  from?: string[];
  /** The detail-types its role may put (as its own service's source): its requests' answers. */
  puts: string[];
}

export interface Wiring {
  $comment: string;
  /** By service (`core-banking`), then function (`balance`). */
  services: Record<string, Record<string, FunctionWiring>>;
  /** By definition (the state machine's key in its service's `stepFunctions`, `purchase`). */
  sagas: Record<string, { service: string; puts: string[] }>;
  frontDoors: {
    /** What a front door may put on the bus: every tool's request and every query the plans make. */
    puts: string[];
    /** The functions (`<service>/<function>`) that handle those: all a front door may invoke. */
    invokes: string[];
    /** The same functions' ARNs, for the stage being resolved (`${sls:stage}`). */
    invokeArns: Array<{ 'Fn::Sub': string }>;
    /** Every answer to those requests, the sagas' later answers included: what the chat's responder listens for. */
    answers: string[];
    /** The sources those answers come with (`centli.<service>` of each handler). */
    answerSources: string[];
  };
}

const HANDLER = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/;

/** Every request's route, read from the event schemas themselves (not from schemas/generated.ts, which the same run may be rewriting). */
export function readRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const file of readdirSync(eventsDir).filter((name) => name.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(eventsDir, file), 'utf8')) as { 'x-centli'?: Route };
    const route = schema['x-centli'];
    if (route === undefined) continue;
    const detailType = file.replace('.schema.json', '');
    if (!HANDLER.test(route.handler)) throw new Error(`schemas/events/${file}: x-centli.handler must be <service>/<function>, got ${JSON.stringify(route.handler)}`);
    routes.set(detailType, route);
  }
  return routes;
}

function serviceOf(handler: string): string {
  return (HANDLER.exec(handler) as RegExpExecArray)[1] as string;
}

function functionOf(handler: string): string {
  return (HANDLER.exec(handler) as RegExpExecArray)[2] as string;
}

/** Every tool's request (schemas/tools/registry.json). */
function toolRequests(): string[] {
  return (JSON.parse(readFileSync(registryPath, 'utf8')) as { tools: Array<{ request: string }> }).tools.map((tool) => tool.request);
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** A notice's route, as its schema declares it (`x-centli-notice`): the function that publishes it and the one that listens. */
export interface NoticeRoute {
  publisher: string;
  listener: string;
}

/** Every notice's route, read from the event schemas. */
export function readNotices(): Map<string, NoticeRoute> {
  const notices = new Map<string, NoticeRoute>();
  for (const file of readdirSync(eventsDir).filter((name) => name.endsWith('.schema.json')).sort()) {
    const notice = (JSON.parse(readFileSync(join(eventsDir, file), 'utf8')) as { 'x-centli-notice'?: NoticeRoute })['x-centli-notice'];
    if (notice === undefined) continue;
    for (const end of [notice.publisher, notice.listener]) {
      if (!HANDLER.test(end)) throw new Error(`schemas/events/${file}: x-centli-notice names <service>/<function>, got ${JSON.stringify(end)}`);
    }
    notices.set(file.replace('.schema.json', ''), notice);
  }
  return notices;
}

/** The wiring (see the module description). */
export function buildWiring(
  routes: ReadonlyMap<string, Route> = readRoutes(),
  doorRequests: Iterable<string> = [...toolRequests(), ...queriesMade],
  notices: ReadonlyMap<string, NoticeRoute> = readNotices(),
): Wiring {
  const routeOf = (request: string): Route => {
    const route = routes.get(request);
    if (!route) throw new Error(`${request} is made by a front door but no schema routes it (x-centli)`);
    return route;
  };

  const services: Record<string, Record<string, { accepts: Set<string>; puts: Set<string>; from?: Set<string> }>> = {};
  const sagas: Wiring['sagas'] = {};
  for (const [request, route] of [...routes].sort(([a], [b]) => a.localeCompare(b))) {
    const service = (services[serviceOf(route.handler)] ??= {});
    const fn = (service[functionOf(route.handler)] ??= { accepts: new Set(), puts: new Set() });
    fn.accepts.add(request);
    for (const answer of route.answers) fn.puts.add(answer);
    if (route.saga) {
      const saga = sagas[route.saga.definition];
      const puts = sorted([...(saga?.puts ?? []), ...route.saga.answers]);
      if (saga && saga.service !== serviceOf(route.handler)) throw new Error(`saga ${route.saga.definition} is started by ${saga.service} and ${serviceOf(route.handler)}: a saga belongs to one service`);
      sagas[route.saga.definition] = { service: serviceOf(route.handler), puts };
    }
  }

  for (const [notice, route] of [...notices].sort(([a], [b]) => a.localeCompare(b))) {
    const publisher = ((services[serviceOf(route.publisher)] ??= {})[functionOf(route.publisher)] ??= { accepts: new Set(), puts: new Set() });
    publisher.puts.add(notice);
    const listener = ((services[serviceOf(route.listener)] ??= {})[functionOf(route.listener)] ??= { accepts: new Set(), puts: new Set() });
    listener.accepts.add(notice);
    (listener.from ??= new Set()).add(`centli.${serviceOf(route.publisher)}`);
  }

  const doors = sorted(doorRequests);
  const handlers = sorted(doors.map((request) => routeOf(request).handler));
  return {
    $comment:
      "Generated by schemas/wiring/generate.ts (`npm run schemas`) from the request schemas' routes (x-centli), the tool registry and lib/tools/plan.ts's queriesMade: do not edit. The services' serverless.yml files read it with file variables (its rules, grants and the chat responder's rule).",
    services: Object.fromEntries(
      Object.keys(services)
        .sort()
        .map((service) => [
          service,
          Object.fromEntries(
            Object.keys(services[service] as object)
              .sort()
              .map((name) => {
                const fn = (services[service] as Record<string, { accepts: Set<string>; puts: Set<string>; from?: Set<string> }>)[name] as { accepts: Set<string>; puts: Set<string>; from?: Set<string> };
                return [name, { accepts: sorted(fn.accepts), puts: sorted(fn.puts), ...(fn.from ? { from: sorted(fn.from) } : {}) }];
              }),
          ),
        ]),
    ),
    sagas: Object.fromEntries(Object.keys(sagas).sort().map((name) => [name, sagas[name] as Wiring['sagas'][string]])),
    frontDoors: {
      puts: doors,
      invokes: handlers,
      invokeArns: handlers.map((handler) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:centli-${serviceOf(handler)}-\${sls:stage}-${functionOf(handler)}`,
      })),
      answers: sorted(doors.flatMap((request) => [...routeOf(request).answers, ...(routeOf(request).saga?.answers ?? [])])),
      answerSources: sorted(doors.map((request) => `centli.${serviceOf(routeOf(request).handler)}`)),
    },
  };
}

export function renderWiring(): string {
  return `${JSON.stringify(buildWiring(), null, 2)}\n`;
}
