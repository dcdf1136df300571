/**
 * The one retry loop for read-decide-write attempts that can lose a race: while an attempt
 * ends in `ContentionError` it runs again, with capped full-jitter backoff; when the
 * contention never clears, a `TransientError` goes up, so the platform retries the whole
 * (idempotent) delivery later instead of the customer hearing a wrong answer.
 */
import { withBackoff } from './backoff';
import { ContentionError, TransientError } from './errors';

export interface ContentionOptions {
  /** Names what stayed busy, for the transient error's message ("the accounts"). */
  what: string;
  attempts?: number;
  capMs?: number;
  /** How to wait between attempts; real time unless a test says otherwise. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export async function retryOnContention<T>(attempt: () => Promise<T>, options: ContentionOptions): Promise<T> {
  try {
    return await withBackoff(attempt, {
      attempts: options.attempts ?? 10,
      baseMs: 20,
      capMs: options.capMs ?? 1000,
      retryable: (error) => error instanceof ContentionError,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  } catch (error) {
    if (error instanceof ContentionError) throw new TransientError(`${options.what} stayed busy through every attempt`, { cause: error });
    throw error;
  }
}
