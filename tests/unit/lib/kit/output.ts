/**
 * What handlers print, read back the way CloudWatch reads it (Powertools' documented way to test
 * logs and metrics): log lines are JSON on stdout (INFO) and stderr (WARN, ERROR); metrics are
 * EMF JSON lines on stdout. The unit project silences both, so `printed` turns them on for what it
 * runs: build the handler inside `act`, since Powertools reads these settings when a logger or
 * metrics object is made.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

export type Line = Record<string, unknown>;

export interface EmfLine extends Line {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
}

export interface Printed {
  /** Every JSON line, in order. */
  lines: Line[];
  /** Everything written, JSON or not. */
  text: string;
  /** The EMF lines. */
  emf: EmfLine[];
  /** The log lines (JSON lines that are not EMF). */
  logs: Line[];
}

export async function printed(act: () => Promise<unknown>, env: Record<string, string> = { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' }): Promise<Printed> {
  const chunks: string[] = [];
  const write = (chunk: string | Uint8Array) => {
    chunks.push(chunk.toString());
    return true;
  };
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(write), jest.spyOn(process.stderr, 'write').mockImplementation(write)];
  try {
    await act();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const text = chunks.join('');
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
  const emf = lines.filter((line): line is EmfLine => '_aws' in line);
  return { lines, text, emf, logs: lines.filter((line) => !('_aws' in line)) };
}

/** The EMF lines that carry `metric`. */
export function metricLines(output: Printed, metric: string): EmfLine[] {
  return output.emf.filter((line) => line._aws.CloudWatchMetrics.some((set) => set.Metrics.some((m) => m.Name === metric)));
}

/** One EMF line's dimension sets and the values of its dimensions, for `toEqual`. */
export function dimensionsOf(line: EmfLine): { sets: string[][]; values: Record<string, unknown> } {
  const sets = line._aws.CloudWatchMetrics.flatMap((set) => set.Dimensions);
  const names = new Set(sets.flat());
  return { sets, values: Object.fromEntries([...names].map((name) => [name, line[name]])) };
}

/** A stand-in for an X-Ray segment or subsegment: records what the Tracer puts on it. */
export class FakeSegment {
  readonly annotations: Record<string, unknown> = {};
  readonly metadata: Record<string, unknown> = {};
  readonly subsegments: FakeSegment[] = [];
  errors: unknown[] = [];
  closed = false;

  constructor(readonly name: string) {}

  addNewSubsegment(name: string): FakeSegment {
    const subsegment = new FakeSegment(name);
    this.subsegments.push(subsegment);
    return subsegment;
  }

  addAnnotation(key: string, value: unknown): void {
    this.annotations[key] = value;
  }

  addMetadata(key: string, value: unknown): void {
    this.metadata[key] = value;
  }

  addError(error: unknown): void {
    this.errors.push(error);
  }

  addErrorFlag(): void {
    this.errors.push('flag');
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * Makes a Tracer behave as inside Lambda, with `facade` as the segment Lambda opens for the
 * invocation, without the X-Ray SDK or a daemon: tracing is on, and the current segment is kept
 * here. Undo with `jest.restoreAllMocks()`.
 */
export function traceAsInLambda(tracer: Tracer): FakeSegment {
  const facade = new FakeSegment('facade');
  let current: FakeSegment = facade;
  jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  jest.spyOn(tracer.provider, 'getSegment').mockImplementation(() => current as never);
  jest.spyOn(tracer.provider, 'setSegment').mockImplementation((segment) => {
    current = segment as unknown as FakeSegment;
  });
  return facade;
}
