/**
 * The schema registry every handler builds at cold start: all schemas added without meta-schema
 * validation (what schemas/index.ts does; a unit test validates them once) against adding them
 * with it (ajv's default). Target: at least 3x.
 */
import { allSchemas, createAjv } from "@centli/schemas/registry";
import type { Benchmark } from "./harness";
import { compare, figureOf } from "./measure";

const build = (validateSchema: boolean) => () => {
  createAjv({ schemas: allSchemas, validateSchema });
};

export const registry: Benchmark = {
  name: "registry",
  async run({ quick }) {
    return [
      figureOf(
        compare(
          `schema registry (${allSchemas.length} schemas)`,
          ["with meta-schema validation", build(true)],
          ["without", build(false)],
          quick ? 2 : 5,
          quick ? 30 : 150,
        ),
        "Cold start",
        3,
      ),
    ];
  },
};
