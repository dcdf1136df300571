/** Every benchmark `npm run bench` runs, in order. */
import type { Benchmark } from "./harness";
import { formatting } from "./money.bench";
import { registry } from "./registry.bench";
import { validation } from "./validation.bench";

export const benchmarks: Benchmark[] = [validation, registry, formatting];
