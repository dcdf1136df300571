/**
 * MCP's tool list reads each tool's output schema from schemas/tools/outputs/generated.ts (recurring
 * parts shared), not from the catalog itself: it must be the catalog's schema, to the byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolOutputSchema, toolSpecs } from '@centli/schemas';

const catalog = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'tools', 'generated.json'), 'utf8')) as {
  tools: Array<Record<string, unknown>>;
  outputSchemas: Record<string, unknown>;
};

describe('toolOutputSchema', () => {
  it('has an output schema for every tool of the catalog, and none for anything else', () => {
    // Assess
    expect(Object.keys(catalog.outputSchemas)).toEqual(toolSpecs.map((spec) => spec.name));
    expect(catalog.tools.map((tool) => tool.name)).toEqual(toolSpecs.map((spec) => spec.name));
  });

  it.each(toolSpecs.map((spec) => spec.name))('serialises %s’s output schema as the catalog writes it', (name) => {
    // Act
    const served = JSON.stringify(toolOutputSchema(name));

    // Assess
    expect(served).toBe(JSON.stringify(catalog.outputSchemas[name]));
  });

  it('leaves the output schemas out of the catalog’s tool entries, which every door bundles', () => {
    // Assess
    for (const tool of catalog.tools) expect(tool).not.toHaveProperty('outputSchema');
  });
});
