/**
 * What a saga's execution history says, as the saga benchmarks read it (bench/saga.bench.ts,
 * bench/spei-saga.ts): the transitions Standard workflows bill and the path taken.
 */
import type { ExecutionHistory } from "../local/saga";

/** Standard workflows bill a transition for each state run and each retry. */
export function transitionsOf(history: ExecutionHistory): number {
  return history.states.reduce(
    (sum, state) => sum + 1 + state.retries.length,
    0,
  );
}

/** The path an execution took, as `A → B → C`, retries marked `×n`. */
export function pathOf(history: ExecutionHistory): string {
  return history.states
    .map((s) => (s.retries.length > 0 ? `${s.name}×${s.retries.length + 1}` : s.name))
    .join(" → ");
}
