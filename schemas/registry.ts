/**
 * Every schema, and an ajv configured as the handlers' validators were generated with: for
 * whoever compiles schemas at run time (the validator generator, the tests, the benchmarks).
 * The services never do: they load the standalone validators generated from these
 * (schemas/validators), so neither ajv's compiler nor the schemas' text is in their bundles.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import common from './common.schema.json';
import envelope from './envelope.schema.json';
import { eventSchemas, speiSchemas } from './generated';
import { taskSchemas } from './tasks/generated';
import { approvalSchema, toolSchemas } from './tools/generated';

/** Every schema: events, saga tasks and tools. */
export const allSchemas = [
  common,
  envelope,
  ...Object.values(eventSchemas),
  ...Object.values(speiSchemas),
  ...Object.values(taskSchemas).flatMap(({ input, output }) => [input, output]),
  ...Object.values(toolSchemas).flatMap(({ input, output }) => [input, output]),
  approvalSchema,
];


/**
 * An ajv configured as the registry's is: strict, with formats, and knowing the route a request
 * schema declares (`x-centli`), an annotation for the generators rather than a constraint.
 */
export function createAjv(options: Options = {}): Ajv {
  const instance = new Ajv({ strict: true, ...options });
  instance.addKeyword({ keyword: 'x-centli', schemaType: 'object' });
  // A notice's route (who publishes it, who tells the customer): for the wiring generator, like x-centli.
  instance.addKeyword({ keyword: 'x-centli-notice', schemaType: 'object' });
  addFormats(instance);
  return instance;
}
