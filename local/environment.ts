/**
 * The one process environment the local stack runs every handler in: the union of what each
 * function's serverless.yml sets. Handlers share a process locally, so two functions that
 * need different values for one variable cannot both be served, and that is an error.
 *
 * @module
 */
import type { FunctionConfig } from './serverless-config';

/** Variables a function may set that must not reach the stack's own process. */
const NOT_SHARED = new Set(['NODE_OPTIONS']);

/**
 * Merges every function's resolved environment into one.
 *
 * @throws Error naming the variable, both functions (with their services) and both values when
 *   two functions disagree on a variable.
 */
export function unionEnvironment(functions: readonly FunctionConfig[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const setBy: Record<string, FunctionConfig> = {};
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (NOT_SHARED.has(key)) continue;
      const first = setBy[key];
      if (first && merged[key] !== value) {
        throw new Error(
          `environment variable ${key} differs between functions: ${first.service}/${first.name} sets ${JSON.stringify(merged[key])}, ` +
            `${fn.service}/${fn.name} sets ${JSON.stringify(value)}. Handlers share one process locally; give the variable one value or different names.`,
        );
      }
      merged[key] = value;
      setBy[key] ??= fn;
    }
  }
  return merged;
}

/**
 * Sets variables in an environment (by default `process.env`).
 *
 * @returns A function that puts back what was there before.
 */
export function applyEnvironment(variables: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((key) => [key, env[key]]));
  Object.assign(env, variables);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
  };
}
