/**
 * Derives, from the tool registry (registry.json) and the tool schemas beside it:
 * - generated.json: every tool with its input schema (`tools`) and its output schema
 *   (`outputSchemas`, by tool name) made self-contained (every `$ref` inlined), which is what
 *   MCP's tools/list, Bedrock's toolSpec and AgentCore Gateway's inline tool schemas need; the schemas themselves keep their `$ref`s into the event schemas,
 *   so no field is ever written twice;
 * - generated.ts: the TypeScript types of every tool's input and output.
 * `npm run schemas` (schemas/generate.ts) writes both; `--check` compares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFromFile } from 'json-schema-to-typescript';

const here = __dirname;
const schemasDir = join(here, '..');
export const toolTypesPath = join(here, 'generated.ts');
export const toolCatalogPath = join(here, 'generated.json');

interface RegistryEntry {
  name: string;
  title: string;
  description: string;
  request: string;
  read_only: boolean;
  idempotent: boolean;
  confirmation: boolean;
}

export function registryEntries(): RegistryEntry[] {
  return (JSON.parse(readFileSync(join(here, 'registry.json'), 'utf8')) as { tools: RegistryEntry[] }).tools;
}

type Schema = Record<string, unknown>;

/** Every schema file (common, envelope, events, tools), by its `$id`. */
function loadSchemas(): Map<string, Schema> {
  const files = [
    join(schemasDir, 'common.schema.json'),
    join(schemasDir, 'envelope.schema.json'),
    ...schemaFiles(join(schemasDir, 'events')),
    ...schemaFiles(here),
  ];
  const byId = new Map<string, Schema>();
  for (const file of files) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
    byId.set(String(schema.$id), schema);
  }
  return byId;
}

function schemaFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A schema with every `$ref` replaced by what it points at, resolved against the `$id` of the
 * document it appears in. Annotations beside a `$ref` (description, default) win over the
 * target's; `$schema`, `$id`, `$defs` and `$comment` are dropped, since nothing refers to them
 * any more. A one-element `allOf` is merged into its parent when their keys do not clash.
 */
export function inline(schema: Schema, baseId: string, byId: ReadonlyMap<string, Schema>, depth = 0): Schema {
  if (depth > 32) throw new Error(`schema references nest too deeply at ${baseId}`);
  const out: Schema = {};
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = new URL(ref, baseId);
    const documentId = `${target.origin}${target.pathname}`;
    const document = byId.get(documentId);
    if (!document) throw new Error(`${baseId}: no schema ${documentId}`);
    const pointed = pointer(document, target.hash.slice(1), ref);
    Object.assign(out, inline(pointed, documentId, byId, depth + 1));
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' || key === '$schema' || key === '$id' || key === '$defs' || key === '$comment' || key === 'x-centli') continue;
    out[key] = inlineValue(key, value, baseId, byId, depth);
  }
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) {
    const only = allOf[0] as Schema;
    if (Object.keys(only).every((key) => !(key in out) || (key === 'type' && out.type === only.type) || key === 'title' || key === 'description')) {
      delete out.allOf;
      for (const [key, value] of Object.entries(only)) if (!(key in out)) out[key] = value;
    }
  }
  return out;
}

function inlineValue(key: string, value: unknown, baseId: string, byId: ReadonlyMap<string, Schema>, depth: number): unknown {
  const isSchemaMap = key === 'properties' || key === 'patternProperties';
  const isSchemaList = key === 'allOf' || key === 'anyOf' || key === 'oneOf';
  const isSchema = key === 'items' || key === 'additionalProperties' || key === 'not' || key === 'if' || key === 'then' || key === 'else' || key === 'contains';
  if (isSchemaMap && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, inline(sub as Schema, baseId, byId, depth + 1)]));
  }
  if (isSchemaList && Array.isArray(value)) return value.map((sub) => inline(sub as Schema, baseId, byId, depth + 1));
  if (isSchema && value && typeof value === 'object' && !Array.isArray(value)) return inline(value as Schema, baseId, byId, depth + 1);
  return value;
}

function pointer(document: Schema, path: string, ref: string): Schema {
  let node: unknown = document;
  for (const part of path.split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) throw new Error(`$ref ${ref}: nothing at ${path}`);
  }
  return node as Schema;
}

export interface ToolCatalogEntry extends RegistryEntry {
  /** `<service>/<function>`: the function that handles the tool's request, as its event schema names it (`x-centli.handler`). */
  function: string;
  inputSchema: Schema;
}

export function renderToolCatalog(): string {
  const byId = loadSchemas();
  const outputSchemas: Record<string, Schema> = {};
  const tools = registryEntries().map((entry): ToolCatalogEntry => {
    const input = byId.get(`https://centli.dev/schemas/tools/${entry.name}.input.schema.json`);
    const output = byId.get(`https://centli.dev/schemas/tools/${entry.name}.output.schema.json`);
    if (!input || !output) throw new Error(`tool ${entry.name} needs ${entry.name}.input.schema.json and ${entry.name}.output.schema.json`);
    const request = byId.get(`https://centli.dev/schemas/events/${entry.request}.schema.json`);
    const handler = (request?.['x-centli'] as { handler?: unknown } | undefined)?.handler;
    if (typeof handler !== 'string') throw new Error(`tool ${entry.name}: schemas/events/${entry.request}.schema.json names no handler (x-centli.handler)`);
    outputSchemas[entry.name] = inline(output, String(output.$id), byId);
    return { ...entry, function: handler, inputSchema: inline(input, String(input.$id), byId) };
  });
  // The output schemas apart, by tool name: only MCP's tool list and AgentCore's targets show them,
  // and a bundle that imports only `tools` leaves them out (esbuild drops a JSON file's unused top-level keys).
  return `${JSON.stringify({ $comment: 'Generated by schemas/tools/generate.ts from registry.json and the tool schemas: do not edit, run `npm run schemas`.', tools, outputSchemas }, null, 2)}\n`;
}

export const toolOutputSchemasPath = join(here, 'outputs', 'generated.ts');

/** Subschemas shorter than this (as JSON) are written where they occur, even when they recur. */
const SHARED_MIN_LENGTH = 40;

/**
 * outputs/generated.ts: every tool's output schema as generated.json has it (`outputSchemas`), as
 * code in which a subschema that recurs (the approval answer, a beneficiary, a timestamp) is
 * written once and shared. The same JSON, in about a third of the text, for the one bundle that
 * shows them (MCP's endpoint lists every tool with its output schema).
 */
export function renderToolOutputSchemas(): string {
  const { outputSchemas } = JSON.parse(renderToolCatalog()) as { outputSchemas: Record<string, unknown> };
  const text = (value: unknown) => JSON.stringify(value);
  const seen = new Map<string, number>();
  const count = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    seen.set(text(value), (seen.get(text(value)) ?? 0) + 1);
    for (const child of Object.values(value)) count(child);
  };
  for (const schema of Object.values(outputSchemas)) count(schema);
  // Each shared subschema is declared after the ones it contains.
  const shared = new Map<string, string>();
  const declarations: string[] = [];
  const code = (value: unknown): string => {
    if (!value || typeof value !== 'object') return text(value);
    const key = text(value);
    const known = shared.get(key);
    if (known) return known;
    const literal = Array.isArray(value)
      ? `[${value.map(code).join(', ')}]`
      : `{ ${Object.entries(value).map(([name, child]) => `${text(name)}: ${code(child)}`).join(', ')} }`;
    if ((seen.get(key) ?? 0) < 2 || key.length < SHARED_MIN_LENGTH) return literal;
    const name = `s${shared.size}`;
    shared.set(key, name);
    declarations.push(`const ${name}: unknown = ${literal};`);
    return name;
  };
  const tools = Object.entries(outputSchemas).map(([tool, schema]) => `  ${tool}: ${code(schema)},`);
  return `// Generated by schemas/tools/generate.ts from generated.json's outputSchemas: do not edit, run \`npm run schemas\`.
// Each subschema that recurs is written once and shared; JSON.stringify gives generated.json's text.
${declarations.join('\n')}

/** Every tool's output schema, self-contained, by tool name. */
export const outputSchemas: Record<string, Record<string, unknown>> = {
${tools.join('\n')}
};
`;
}

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export async function renderToolTypes(): Promise<string> {
  const entries = registryEntries();
  const eventTypes = new Set(Array.from(readFileSync(join(schemasDir, 'generated.ts'), 'utf8').matchAll(/export (?:interface|type) (\w+)/g), (m) => m[1] as string));
  const blocks: string[] = [];
  const used = new Set<string>();
  for (const { name } of entries) {
    for (const side of ['input', 'output'] as const) {
      const file = `${name}.${side}.schema.json`;
      const ts = await compileFromFile(join(here, file), { bannerComment: '', cwd: here, additionalProperties: false, format: true, declareExternallyReferenced: false });
      const expected = `${pascal(name)}${side === 'input' ? 'Input' : 'Output'}`;
      const declared = /export (?:interface|type) (\w+)/.exec(ts)?.[1];
      if (declared !== expected) throw new Error(`schemas/tools/${file} must be titled ${expected}`);
      // Event types the tool schemas refer to are imported from the event types, never declared twice.
      for (const block of ts.split(/\n(?=(?:\/\*\*[\s\S]*?\*\/\n)?export )/)) {
        const type = /export (?:interface|type) (\w+)/.exec(block)?.[1];
        if (!type || eventTypes.has(type)) continue;
        blocks.push(block.trim());
        for (const match of block.matchAll(/\b([A-Z]\w+)\b/g)) if (eventTypes.has(match[1] as string)) used.add(match[1] as string);
      }
    }
  }
  // The approval every tool that needs the customer's yes answers first, and the form an MCP client's dialog answers it with.
  const approval = await compileFromFile(join(here, 'approval.schema.json'), { bannerComment: '', cwd: here, additionalProperties: false, format: true, declareExternallyReferenced: false });
  const confirmation = await compileFromFile(join(here, 'confirmation.schema.json'), { bannerComment: '', cwd: here, additionalProperties: false, format: true, declareExternallyReferenced: false });
  blocks.unshift(approval.trim(), confirmation.trim());
  const imports = [...used].sort();
  const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const schemaImports = [
    `import approvalSchema from './approval.schema.json';`,
    `import confirmationSchema from './confirmation.schema.json';`,
    ...entries.flatMap(({ name }) => [`import ${camel(name)}Input from './${name}.input.schema.json';`, `import ${camel(name)}Output from './${name}.output.schema.json';`]),
  ].join('\n');
  const registry = entries.map(({ name }) => `  ${name}: { input: ${camel(name)}Input, output: ${camel(name)}Output },`).join('\n');
  const inputs = entries.map(({ name }) => `  ${name}: ${pascal(name)}Input;`).join('\n');
  const outputs = entries.map(({ name }) => `  ${name}: ${pascal(name)}Output;`).join('\n');
  return `// Generated by schemas/tools/generate.ts from the tool schemas beside it: do not edit, run \`npm run schemas\`.
${imports.length > 0 ? `import type { ${imports.join(', ')} } from '../generated';\n` : ''}${schemaImports}

${blocks.join('\n\n')}

/** What each tool takes, by tool name. */
export interface ToolInputs {
${inputs}
}

/** What each tool answers (its structured content), by tool name. */
export interface ToolOutputs {
${outputs}
}

/** Every tool's name, in registry order: what a name is checked against without the schemas' text. */
export const toolNames = [${entries.map(({ name }) => `'${name}'`).join(', ')}] as const;

/** Each tool's input and output JSON Schemas as written (with their \`$ref\`s), by tool name. */
export const toolSchemas = {
${registry}
} as const;

/** The answer every tool that needs the customer's approval gives first. */
export { approvalSchema };

/** The form a customer approves or declines in their own MCP client's dialog (form elicitation). */
export { confirmationSchema };
`;
}
