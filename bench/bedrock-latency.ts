/**
 * The intent engine's model call, as the chat benchmark adds it to the turns it measured: the
 * deployed chat reads each message with Bedrock Converse (services/agent-gateway: INTENT_ENGINE
 * bedrock), which the local stack replaces with the in-process parser.
 *
 * PROVENANCE: this is an ASSUMPTION, not a recorded sample. No Bedrock Converse latencies were
 * recorded for this project (the benchmarks run without AWS access), so none can be cited. The
 * distribution is a log-normal with a median of 700 ms and σ = 0.45 (p90 ≈ 1.25 s, p99 ≈ 2.0 s),
 * chosen as a plausible shape for a short Converse call with ~3,000 input tokens and a tool-use
 * answer of ~60 tokens; RESULTS.md labels every figure that uses it as assumed. Replace
 * `ASSUMED` with a recorded sample (a file of measured durations, with where and when they were
 * measured) when one exists; `drawLatency` is the only reader.
 */
import { mulberry32 } from "../local/random";

export interface LatencyModel {
  /** How the figures that use it are labelled in RESULTS.md. */
  label: string;
  medianMs: number;
  sigma: number;
}

export const ASSUMED: LatencyModel = {
  label:
    "an ASSUMED Bedrock Converse latency (log-normal, median 700 ms, σ 0.45; not a recorded sample)",
  medianMs: 700,
  sigma: 0.45,
};

/** `count` draws from the model, seeded (Box–Muller on mulberry32), so a run can be repeated. */
export function drawLatency(
  model: LatencyModel,
  count: number,
  seed = 20_261_206,
): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const u = Math.max(random(), Number.EPSILON);
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return model.medianMs * Math.exp(model.sigma * z);
  });
}
