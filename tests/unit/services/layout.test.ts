/**
 * Names and rooms, held for every service: a function and its handler file share one name;
 * `src/handlers/` holds Lambda entries only; a tool's function takes the tool's name unless the
 * seed fixed the function's name first (seed 000's log groups name them), and every service keeps
 * its code in the same rooms.
 */
import { existsSync, readdirSync } from 'node:fs';
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
