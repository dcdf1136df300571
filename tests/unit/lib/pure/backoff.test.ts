import { withBackoff } from '@centli/pure/backoff';

describe('withBackoff', () => {
  it('retries a retryable failure and returns the first success', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error('busy');
        return 'done';
      },
      { attempts: 5, baseMs: 100, capMs: 1000, retryable: () => true, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('caps the wait and stops after the last attempt', async () => {
    const sleeps: number[] = [];
    await expect(
      withBackoff(async () => Promise.reject(new Error('down')), {
        attempts: 6,
        baseMs: 100,
        capMs: 300,
        retryable: () => true,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.999,
      }),
    ).rejects.toThrow('down');
    expect(sleeps).toEqual([99, 199, 299, 299, 299]);
  });

  it('does not retry what is not retryable', async () => {
    let calls = 0;
    await expect(
      withBackoff(
        async () => {
          calls++;
          throw new Error('final');
        },
        { attempts: 5, baseMs: 1, capMs: 1, retryable: () => false },
      ),
    ).rejects.toThrow('final');
    expect(calls).toBe(1);
  });
});
