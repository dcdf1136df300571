/**
 * The one tool registry, as code reads it: every capability an agent (MCP) or the chat can use,
 * from schemas/tools/registry.json with its input and output schemas inlined
 * (schemas/tools/generated.json). The MCP server lists these, the chat's intent engines choose
 * among them, and AgentCore Gateway's targets are generated from them.
 */
import { isRequestType, isToolName, routeOf, toolOutputSchema, toolSpecs, toolValidator, type DetailType, type SchemaViolation, type ToolName, type ToolSpec } from '@centli/schemas';

export type { ToolName, ToolSpec } from '@centli/schemas';

const byName = new Map<ToolName, ToolSpec>(toolSpecs.map((spec) => [spec.name, spec]));
const inputValidators = new Map<ToolName, (value: unknown) => SchemaViolation | undefined>();

/** Every tool, in registry order. */
export const tools: readonly ToolSpec[] = toolSpecs;

/** The tool's registry entry. */
export function toolSpec(name: ToolName): ToolSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`no tool named ${name}`);
  return spec;
}

export { isToolName, toolOutputSchema };

/** Checks a tool call's arguments against the tool's input schema (validators compiled once, on first use). */
export function checkToolArguments(name: ToolName, args: unknown): SchemaViolation | undefined {
  let validate = inputValidators.get(name);
  if (!validate) {
    validate = toolValidator(name, 'input');
    inputValidators.set(name, validate);
  }
  return validate(args);
}

/** `<service>/<function>` of the registry → the deployed function name, `centli-<service>-<stage>-<function>`. */
export function functionNameOf(ref: string, stage: string): string {
  const [service, fn] = ref.split('/');
  if (!service || !fn) throw new Error(`function reference ${ref} must be <service>/<function>`);
  return `centli-${service}-${stage}-${fn}`;
}

/** The service function that handles a request event (a tool's, or a query a plan makes), as its schema routes it. */
export function functionForRequest(detailType: DetailType): string {
  if (!isRequestType(detailType)) throw new Error(`${detailType} is not a request`);
  return routeOf(detailType).handler;
}

/** MCP tool annotations, from what the registry says a tool does. */
export function annotationsOf(spec: ToolSpec): { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean } {
  return {
    title: spec.title,
    readOnlyHint: spec.read_only,
    destructiveHint: spec.confirmation,
    idempotentHint: spec.idempotent,
    openWorldHint: false,
  };
}
