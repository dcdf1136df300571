/**
 * The intent engine's model call as the chat benchmarks delay it: the deployed chat reads each
 * message with Bedrock Converse (services/agent-gateway: INTENT_ENGINE bedrock), which cannot be
 * called here. `chat-bedrock` (bench/chat-bedrock.bench.ts) has a local Converse endpoint
 * (local/bedrock-runtime.ts) wait this long before each answer; `chat` adds the same draws to
 * the turns it measured with the in-process parser.
 *
 * PROVENANCE: a published, recorded distribution, not one measured for this project (the
 * benchmarks run without AWS access).
 *
 * - Source: the Hugging Face dataset `ssong1/llmperf-bedrock`, file
 *   `bedrock-anthropic-claude-instant-v1_1024_0_1024_100_summary.json` at commit
 *   f3c8280fa621f38a23950d9360934e8dee492f5f (its `results_ttft_s_quantiles_*`, `_min`, `_max`),
 *   the same figures its README.md tabulates, rounded, at commit
 *   f239198824a80c1ff366d5250d1e5c2f9e38da8b ("Time to First Token (seconds)": median 1.21,
 *   P25 1.17, P75 1.27, P95 1.89, P99 2.17, min 1.12, max 2.19).
 * - What was measured: LLMPerf (the model named `bedrock/anthropic.claude-instant-v1`, as its
 *   LiteLLM client names a Bedrock model), 100 requests, one at a time, 1,024 input tokens each,
 *   answers of about 1,024 tokens streamed; the figure is the time to the first token.
 * - Model: Anthropic Claude Instant v1 on Amazon Bedrock, the small, fast Claude of its time
 *   (since retired); the deployed stage uses Amazon Nova Lite, for which no recorded
 *   distribution was found.
 * - Region and date: neither is stated in the files (the summary's `"version": "2023-08-31"` is
 *   LLMPerf's format, not the date of the run).
 *
 * How it differs from the chat's call, so read it as a floor: the chat's Converse call sends about
 * 2,800 input tokens (the system prompt and every tool's spec; see the recorded responses in
 * tests/unit/lib/tools/adapters/recorded/) and waits for the whole tool-use answer (18 to 71
 * output tokens there), where this is the time to an answer's first token of a 1,024-token
 * prompt; the same run's median inter-token latency was 12.8 ms
 * (`results_inter_token_latency_s_quantiles_p50`), which the draw leaves out.
 *
 * The draw follows the recorded percentiles exactly: a uniform draw is read through the quantile
 * function drawn straight between the recorded points (min, p25, p50, p75, p90, p95, p99, max).
 */
import { mulberry32 } from "../local/random";

export interface LatencyModel {
  /** How the figures that use it are labelled in RESULTS.md. */
  label: string;
  /** The recorded quantiles, in seconds as the source prints them, by probability (0 is the minimum, 1 the maximum), ascending. */
  quantiles: ReadonlyArray<readonly [probability: number, seconds: number]>;
}

/** Claude Instant v1's time to first token on Bedrock, as LLMPerf recorded it (see above). */
export const RECORDED: LatencyModel = {
  label:
    "a RECORDED Bedrock latency (Claude Instant v1's time to first token, 100 requests of 1,024 input tokens, published by LLMPerf in the Hugging Face dataset ssong1/llmperf-bedrock; median 1,219 ms, p99 2,175 ms; the time to the whole tool-use answer is longer)",
  quantiles: [
    [0, 1.1298867650330067],
    [0.25, 1.1732318922877312],
    [0.5, 1.2193979024887085],
    [0.75, 1.273735634982586],
    [0.9, 1.5114243939518928],
    [0.95, 1.899415288865566],
    [0.99, 2.174612186104059],
    [1, 2.1990757696330547],
  ],
};

/** The model's quantile function: the latency (ms) at probability `p` (0–1), straight between the recorded points. */
export function latencyAt(model: LatencyModel, p: number): number {
  const points = model.quantiles.map(([q, seconds]) => [q, seconds * 1000] as const);
  const at = Math.min(1, Math.max(0, p));
  for (let i = 1; i < points.length; i++) {
    const [p1, ms1] = points[i] as readonly [number, number];
    if (at <= p1) {
      const [p0, ms0] = points[i - 1] as readonly [number, number];
      return p1 === p0 ? ms1 : ms0 + ((at - p0) / (p1 - p0)) * (ms1 - ms0);
    }
  }
  return (points.at(-1) as readonly [number, number])[1];
}

/** An endless seeded sequence of draws from the model (mulberry32), so a run can be repeated. */
export function latencySampler(model: LatencyModel, seed = 20_261_206): () => number {
  const random = mulberry32(seed);
  return () => latencyAt(model, random());
}

/** `count` draws from the model, seeded, so a run can be repeated. */
export function drawLatency(model: LatencyModel, count: number, seed = 20_261_206): number[] {
  const next = latencySampler(model, seed);
  return Array.from({ length: count }, () => next());
}
