/**
 * The standalone validators (schemas/validators): each function's bundle holds only the
 * validators its entry registers, so every entry must register what it validates, and a
 * standalone validator must judge as ajv compiling the schema at run time does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestRoutes, taskSchemas, type RequestType } from '@centli/schemas';
import { allSchemas, createAjv } from '@centli/schemas/registry';
import { formSchemas } from '@centli/schemas/validators/generate';
import { compileWith, registerValidators, standaloneValidator } from '@centli/schemas/validators/loaded';
import { loadServiceConfigs } from '../../../local/serverless-config';

const root = join(__dirname, '..', '..', '..');
const handlerFile = new Map<string, string>(
  loadServiceConfigs().flatMap((service) =>
    service.functions.map((fn) => [`${service.name.replace(/^centli-/, '')}/${fn.name}`, join(fn.dir, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`)] as const),
  ),
);
const source = (fn: string) => readFileSync(handlerFile.get(fn) ?? join(root, 'missing'), 'utf8');

describe('each function’s entry registers the validators it uses', () => {
  it.each(Object.entries(requestRoutes) as Array<[RequestType, { handler: string }]>)('%s: its handler imports validators/for/%s', (request, route) => {
    expect(source(route.handler)).toContain(`import '@centli/schemas/validators/for/${request}';`);
  });

  it.each(Object.keys(taskSchemas))('the saga task %s imports validators/for/%s', (task) => {
    const fn = [...handlerFile.keys()].find((name) => name.endsWith(`/${task}`)) as string;
    expect(source(fn)).toContain(`import '@centli/schemas/validators/for/${task}';`);
  });
});

describe('standalone validators judge as ajv does at run time', () => {
  const ajv = createAjv({ allErrors: false, validateSchema: false });
  ajv.addSchema([...allSchemas, ...formSchemas]);
  const samples: unknown[] = [{}, null, 'x', { correlation_id: 'c' }, { request_id: 'r', correlation_id: 'c', user_id: 'u', amount: 100 }, { confirm: true }, { confirm: 'yes' }];

  it.each([...allSchemas, ...formSchemas].map((schema) => String(schema.$id)))('%s', (id) => {
    const standalone = standaloneValidator(id);
    const compiled = ajv.getSchema(id);
    expect(standalone).toBeDefined();
    for (const sample of samples) expect(standalone?.(sample)).toBe(compiled?.(sample));
  });
});

describe('registration', () => {
  it('uses a registered loader once, and the same validator after', () => {
    let loads = 0;
    const validate = Object.assign(() => true, { errors: null }) as unknown as NonNullable<ReturnType<typeof standaloneValidator>>;
    registerValidators({ 'https://centli.dev/schemas/test/registered.schema.json': () => (loads++, validate) });
    expect(standaloneValidator('https://centli.dev/schemas/test/registered.schema.json')).toBe(validate);
    expect(standaloneValidator('https://centli.dev/schemas/test/registered.schema.json')).toBe(validate);
    expect(loads).toBe(1);
  });

  it('compiles what nobody registered with the front doors’ compiler, once', () => {
    const asked: string[] = [];
    const validate = Object.assign(() => false, { errors: [] }) as unknown as NonNullable<ReturnType<typeof standaloneValidator>>;
    compileWith((id) => (asked.push(id), id.endsWith('compiled.schema.json') ? validate : undefined));
    expect(standaloneValidator('https://centli.dev/schemas/test/compiled.schema.json')).toBe(validate);
    expect(standaloneValidator('https://centli.dev/schemas/test/compiled.schema.json')).toBe(validate);
    expect(standaloneValidator('https://centli.dev/schemas/test/unknown.schema.json')).toBeUndefined();
    expect(asked).toEqual(['https://centli.dev/schemas/test/compiled.schema.json', 'https://centli.dev/schemas/test/unknown.schema.json']);
  });
});
