/**
 * The standalone validators a bundle holds, by schema $id. A function's entry imports the
 * generated module naming what it validates (`@centli/schemas/validators/for/TRANSFER_REQUEST`:
 * the envelope, the request and every answer its route declares; `…/for/<task>`: a saga task's
 * input and output; `…/all`: everything, for the front doors and the local stack), which
 * registers each validator's loader here; the validator's module is evaluated on first use. The
 * chat's doors, which validate nearly every schema, compile theirs on first use instead
 * (./compiled-at-run-time.ts); the doors that validate only tool calls import
 * `…/for/tool-arguments`.
 *
 * Outside a bundle (tests, scripts, the local stack under tsx) a schema nobody registered is
 * found by loading every validator; inside one that `require` is left unresolved on purpose
 * (esbuild cannot follow a computed path), so a bundle never carries validators it did not ask
 * for, and a missing import fails where the validator is first asked for, at load.
 */
import type { ValidateFunction } from 'ajv';
import { join } from 'node:path';

type Loader = () => ValidateFunction;

const loaders = new Map<string, Loader>();
const loadedValidators = new Map<string, ValidateFunction>();

/** Makes these validators available to `standaloneValidator` (called by the generated modules). */
export function registerValidators(entries: Record<string, Loader>): void {
  for (const [id, load] of Object.entries(entries)) if (!loaders.has(id)) loaders.set(id, load);
}

let compiler: ((id: string) => ValidateFunction | undefined) | undefined;
/** Validators nobody registered are compiled by `compile` on first use (./compiled-at-run-time.ts). */
export function compileWith(compile: (id: string) => ValidateFunction | undefined): void {
  compiler = compile;
}

let everything = false;
function registerEverything(): boolean {
  if (everything) return true;
  everything = true;
  try {
    // A computed path: esbuild leaves it to run time, where only unbundled code finds it.
    const all = ['.', 'all'].join('/');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(join(__dirname, all));
    return true;
  } catch {
    return false;
  }
}

/** The validator of a schema $id: registered, or (outside a bundle) from every validator. */
export function standaloneValidator(id: string): ValidateFunction | undefined {
  const known = loadedValidators.get(id);
  if (known) return known;
  if (!loaders.has(id) && !compiler) registerEverything();
  const load = loaders.get(id);
  const validate = load ? load() : compiler?.(id);
  if (!validate) return undefined;
  loadedValidators.set(id, validate);
  return validate;
}
