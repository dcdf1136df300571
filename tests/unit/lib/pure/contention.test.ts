import { retryOnContention } from '@centli/pure/contention';
import { ContentionError, TransientError } from '@centli/pure/errors';

const noWait = async () => undefined;

describe('retryOnContention', () => {
  it('runs the attempt again after a lost race and returns its result', async () => {
    let calls = 0;
    const result = await retryOnContention(
      async () => {
        calls++;
        if (calls < 3) throw new ContentionError();
        return 'written';
      },
      { what: 'the accounts', sleep: noWait },
    );
    expect([result, calls]).toEqual(['written', 3]);
  });

  it('turns contention that never clears into a transient error, so the delivery is retried later', async () => {
    let calls = 0;
    const run = retryOnContention(
      async () => {
        calls++;
        throw new ContentionError();
      },
      { what: 'the accounts', attempts: 4, sleep: noWait },
    );
    await expect(run).rejects.toBeInstanceOf(TransientError);
    await expect(run).rejects.toThrow('the accounts stayed busy through every attempt');
    expect(calls).toBe(4);
  });

  it('lets any other error through at once', async () => {
    let calls = 0;
    await expect(
      retryOnContention(
        async () => {
          calls++;
          throw new RangeError('refused');
        },
        { what: 'the accounts', sleep: noWait },
      ),
    ).rejects.toThrow(RangeError);
    expect(calls).toBe(1);
  });
});
