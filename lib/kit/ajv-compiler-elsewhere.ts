/**
 * What a function's bundle holds in place of ajv's compiler (`ajv`) and ajv-formats' plugin
 * (`ajv-formats`) where serverless.common.yml's `esbuildWithoutAjvCompiler` points those packages
 * here: in the services none of whose functions compiles a schema at run time (MCP's). Their
 * validators are ajv's standalone code (schemas/validators), which needs only ajv's runtime
 * helpers (`ajv/dist/runtime/…`) and ajv-formats' format checks (`ajv-formats/dist/formats`), and
 * those the alias leaves as they are. The MCP SDK's `Server` imports ajv for its default JSON
 * Schema validator, which Centli replaces (services/mcp/src/app/confirmation-form.ts); that
 * import is what keeps about 130 kB of compiler in the MCP functions' bundles otherwise.
 *
 * Nothing calls it. Should anything ever compile a schema in such a bundle (an SDK upgrade that
 * validates with its default validator in a new place), it fails there, naming the fix, rather
 * than run without the check.
 */
export default function ajvCompilerElsewhere(): never {
  throw new Error('ajv’s compiler is not in this bundle (serverless.common.yml esbuildWithoutAjvCompiler): give the MCP SDK a jsonSchemaValidator, or bundle this function with the common esbuild options');
}
