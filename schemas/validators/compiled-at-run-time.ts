/**
 * For the chat's gateway (`message`, `respond`) and the functions whose schemas no generated
 * module groups yet: they validate any request or answer on the bus, nearly every schema. (MCP's
 * doors and the phone's code hook validate only tool arguments: `./for/tool-arguments`.) All of
 * them as standalone code is 577 kB minified (one module; 1 MB as separate ones), more than ajv's
 * compiler and the schemas' text; so these functions compile each validator with ajv on its first
 * use instead (not at load), and pay only for the schemas an invocation meets. Importing this
 * module is what lets them (see ./loaded.ts).
 */
import type Ajv from 'ajv';
import type * as Registry from '../registry';
import { compileWith } from './loaded';

let ajv: Ajv | undefined;

compileWith((id) => {
  if (!ajv) {
    // Loaded on the first validator asked for, not with the function.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { allSchemas, createAjv } = require('../registry') as typeof Registry;
    ajv = createAjv({ allErrors: false, validateSchema: false });
    ajv.addSchema(allSchemas);
  }
  return ajv.getSchema(id);
});
