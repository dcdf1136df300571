/**
 * The schema registry every handler builds at cold start: all schemas added without meta-schema
 * validation (what schemas/index.ts does; a unit test validates them once) against adding them
 * with it (ajv's default). Target: at least 3x.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { allSchemas } from '@centli/schemas';
import { compare, report } from './measure';

const build = (validateSchema: boolean) => () => {
  const ajv = new Ajv({ schemas: allSchemas, strict: true, validateSchema });
  addFormats(ajv);
};

export function run(): boolean {
  return report(compare(`schema registry (${allSchemas.length} schemas)`, ['with meta-schema validation', build(true)], ['without', build(false)], 5, 150), 3);
}
