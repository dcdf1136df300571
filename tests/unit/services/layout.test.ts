/**
 * Names and rooms, held for every service: a function and its handler file share one name;
 * `src/handlers/` holds Lambda entries only, and the use case each one wraps lives in
 * `src/app/<its name>.ts`; a tool's function takes the tool's name unless the seed fixed the
 * function's name first (seed 000's log groups name them), and every service keeps its code in
 * the same rooms.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadServiceConfigs } from '../../../local/serverless-config';
import { tools } from '../../../lib/tools/registry';

const services = loadServiceConfigs();
const functions = services.flatMap((service) => service.functions.map((fn) => ({ ...fn, service: service.name.replace(/^centli-/, '') })));

/** Function names seed 000 fixes (its log groups, `/aws/lambda/centli-<service>-<name>`): they keep their name whatever the tool is called. */
const SEED_NAMES = new Set([
  'core-banking/balance',
  'core-banking/transfer',
  'core-banking/transactions',
  'marketplace/catalog',
  'marketplace/benefits',
  'marketplace/purchase',
  'crm/resolve-alias',
  'crm/get-beneficiaries',
  'crm/add-beneficiary',
]);

/**
 * The front doors' entries share one application layer apiece (the conversation core, the tool
 * runner) rather than a use case each; every other service's function wraps its own.
 */
const FRONT_DOORS = new Set(['agent-gateway', 'mcp']);
const domainFunctions = functions.filter((fn) => !FRONT_DOORS.has(fn.service));

describe('service layout', () => {
  it.each(functions.map((fn) => [`${fn.service}/${fn.name}`, fn]))('%s has its handler in src/handlers/<its name>.ts', (_name, fn) => {
    // Assess
    expect(fn.handler).toBe(`src/handlers/${fn.name}.handler`);
  });

  it.each(services.map((service) => [service.name, service]))('%s keeps only Lambda entries in src/handlers', (_name, service) => {
    // Prepare
    const dir = join(service.dir, 'src', 'handlers');

    // Act
    const files = existsSync(dir) ? readdirSync(dir).map((file) => file.replace(/\.ts$/, '')) : [];

    // Assess
    expect(files.sort()).toEqual(service.functions.map((fn) => fn.name).sort());
  });

  it.each(services.map((service) => [service.name, service]))('%s has no room but handlers, app, domain and adapters', (_name, service) => {
    // Act
    const rooms = existsSync(join(service.dir, 'src')) ? readdirSync(join(service.dir, 'src')) : [];

    // Assess: errors.ts is the service's one error module.
    expect(rooms.filter((room) => !['handlers', 'app', 'domain', 'adapters', 'errors.ts'].includes(room))).toEqual([]);
  });

  it.each(services.filter((service) => service.functions.length > 0).map((service) => [service.name, service]))('%s, which has handlers, has its application layer in src/app', (_name, service) => {
    // Assess
    expect(existsSync(join(service.dir, 'src', 'app'))).toBe(true);
  });

  it.each(domainFunctions.map((fn) => [`${fn.service}/${fn.name}`, fn]))('%s wraps the use case in src/app/<its name>.ts and writes none itself', (_name, fn) => {
    // Prepare
    const app = join(fn.dir, 'src', 'app', `${fn.name}.ts`);
    const entry = readFileSync(join(fn.dir, 'src', 'handlers', `${fn.name}.ts`), 'utf8');

    // Assess: a use case is async; the entry's wiring (default deps, settings read from the environment) is not.
    expect(existsSync(app)).toBe(true);
    expect(entry).toContain(`from '../app/${fn.name}'`);
    expect(entry).not.toMatch(/\basync\b/);
    expect(entry).toMatch(/^export const handler = /m);
  });

  it.each(services.filter((service) => !FRONT_DOORS.has(service.name.replace(/^centli-/, '')) && service.functions.length > 0).map((service) => [service.name, service]))(
    '%s has its unit tests where its code is: tests/unit/services/<service>/<room>/<file>.test.ts, and its sample events, seed data and contact flows checked',
    (_name, service) => {
      // Prepare
      const dir = join(__dirname, service.name.replace(/^centli-/, ''));
      const rooms = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      const tests = rooms.flatMap((room) => readdirSync(join(dir, room)).map((file) => `${room}/${file}`));

      // Assess
      expect(rooms.filter((room) => !['app', 'domain', 'adapters', 'handlers'].includes(room))).toEqual([]);
      expect(tests.filter((test) => !test.endsWith('.test.ts') || !existsSync(join(service.dir, 'src', test.replace(/\.test\.ts$/, '.ts'))))).toEqual([]);
      // Beside them, only a check of what the service deploys outside src: its Connect contact flows.
      const beside = existsSync(join(service.dir, 'contact-flows')) ? ['contact-flow.test.ts'] : [];
      expect(readdirSync(dir).filter((file) => file.endsWith('.test.ts')).sort()).toEqual([...beside, 'sample-events.test.ts', 'seed-data.test.ts'].sort());
    },
  );

  it.each(tools.map((tool) => [tool.name, tool]))('tool %s is served by a function of its own name, or of the name the seed fixed', (_name, tool) => {
    // Act
    const [service, fn] = tool.function.split('/') as [string, string];

    // Assess
    expect(functions.some((candidate) => candidate.service === service && candidate.name === fn)).toBe(true);
    if (!SEED_NAMES.has(tool.function)) expect(fn).toBe(tool.name.replaceAll('_', '-'));
  });

  it('lists as seed names only functions that exist', () => {
    expect([...SEED_NAMES].filter((name) => !functions.some((fn) => `${fn.service}/${fn.name}` === name))).toEqual([]);
  });
});
