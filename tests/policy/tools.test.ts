/**
 * Every tool keeps what a client decides by: the MCP server lists each registry tool with its
 * title, its annotations as the registry says (a tool that moves money, changes payees or lets a
 * card be used is never read-only and always destructive; a query is read-only) and an output
 * schema; and the packaged AgentCore Gateway offers every tool exactly once, with its input (plus
 * the identity argument its interceptor sets) and its output, as the registry generates them.
 */
import { annotationsOf, toolOutputSchema, tools } from '@centli/tools/registry';
import { mcpTools } from '../../services/mcp/src/app/server';
import { loadTemplates, resourcesOfType, type Template } from './templates';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { schemaDefinition, IDENTITY_ARGUMENT } = require('../../lib/infra/agentcore-gateway') as {
  schemaDefinition: (schema: unknown) => { Properties?: Record<string, unknown> };
  IDENTITY_ARGUMENT: string;
};

const listed = new Map(mcpTools().map((tool) => [tool.name, tool]));
const mcp = loadTemplates('checked').find((template) => template.service === 'mcp') as Template;
const offered = resourcesOfType(mcp, 'AWS::BedrockAgentCore::GatewayTarget').flatMap(([, target]) => {
  const payload = (target.Properties?.TargetConfiguration as { Mcp: { Lambda: { ToolSchema: { InlinePayload: Array<Record<string, unknown>> } } } }).Mcp.Lambda.ToolSchema.InlinePayload;
  return payload;
});

describe.each(tools.map((spec) => [spec.name, spec] as const))('the tool %s', (name, spec) => {
  it('is listed over MCP with its title, the registry’s annotations and an output schema', () => {
    // Act
    const tool = listed.get(name);

    // Assess
    expect(tool).toMatchObject({ title: spec.title, annotations: annotationsOf(spec), outputSchema: { type: 'object' } });
    expect(tool?.annotations).toEqual({ title: spec.title, readOnlyHint: spec.read_only, destructiveHint: spec.confirmation, idempotentHint: spec.idempotent, openWorldHint: false });
  });

  it('is read-only exactly when it only asks, and never when the customer must approve it', () => {
    // Assess
    if (spec.confirmation) expect({ readOnly: spec.read_only, destructive: annotationsOf(spec).destructiveHint }).toEqual({ readOnly: false, destructive: true });
    if (spec.request.endsWith('_QUERY')) expect(spec.read_only).toBe(true);
    if (spec.read_only) expect(spec.confirmation).toBe(false);
  });

  it('is offered once by the packaged AgentCore Gateway, with its input and its output', () => {
    // Act
    const definitions = offered.filter((definition) => definition.Name === name);

    // Assess
    const input = schemaDefinition(spec.inputSchema);
    expect(definitions).toHaveLength(1);
    expect(definitions[0]?.InputSchema).toEqual({ ...input, Properties: { ...(input.Properties ?? {}), [IDENTITY_ARGUMENT]: expect.objectContaining({ Type: 'object' }) } });
    expect(definitions[0]?.OutputSchema).toEqual(schemaDefinition(toolOutputSchema(spec.name)));
  });
});

describe('the AgentCore Gateway', () => {
  it('offers no tool the registry does not have', () => {
    // Assess
    expect(offered.map((definition) => definition.Name).sort()).toEqual(tools.map((spec) => spec.name).sort());
  });
});
