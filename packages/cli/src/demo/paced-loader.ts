import type { Loader } from '@downhill/core';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A token bucket: `take()` resolves once a step may run, at `rate` steps per second on average. */
class Pacer {
  private available = 1;
  private last = performance.now();

  constructor(private readonly rate: number) {}

  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      // At most a fifth of a second of steps banked, so a run that was starved does not then sprint.
      this.available = Math.min(
        this.available + ((now - this.last) * this.rate) / 1000,
        Math.max(1, this.rate / 5),
      );
      this.last = now;
      if (this.available >= 1) {
        this.available -= 1;
        return;
      }
      await sleep(Math.max(4, ((1 - this.available) * 1000) / this.rate));
    }
  }
}

/**
 * Slows a run down to about `stepsPerSecond` updates a second so that people can watch it: the
 * batches of `inner` (or, for objectives without data, `steps` empty batches) are handed out
 * asynchronously, paced by timers, so the run loop waits between steps without blocking anything
 * else. The batches and their order are those of `inner`: pacing changes timing, not results.
 */
export function pacedLoader<TBatch>(
  inner: Loader<TBatch> | undefined,
  options: { readonly stepsPerSecond: number; readonly steps?: number },
): Loader<TBatch> {
  const { stepsPerSecond } = options;
  if (!(stepsPerSecond > 0))
    throw new RangeError(`pacedLoader: stepsPerSecond must be > 0, got ${stepsPerSecond}`);
  const pacer = new Pacer(stepsPerSecond);
  if (!inner) {
    const steps = options.steps;
    if (steps === undefined || !Number.isInteger(steps) || steps < 1) {
      throw new RangeError('pacedLoader: a run without data needs its number of steps');
    }
    return {
      batchesPerEpoch: steps,
      samples: undefined,
      batchSize: 1,
      async *epoch() {
        for (let i = 0; i < steps; i++) {
          await pacer.take();
          yield undefined as TBatch;
        }
      },
      describe: () => ({ name: 'paced', stepsPerSecond }),
    };
  }
  return {
    batchesPerEpoch: inner.batchesPerEpoch,
    samples: inner.samples,
    batchSize: inner.batchSize,
    async *epoch(epoch) {
      const batches = inner.epoch(epoch);
      if (Symbol.asyncIterator in batches) {
        for await (const batch of batches as AsyncIterable<TBatch>) {
          await pacer.take();
          yield batch;
        }
        return;
      }
      for (const batch of batches as Iterable<TBatch>) {
        await pacer.take();
        yield batch;
      }
    },
    describe: () => ({ ...(inner.describe?.() ?? { name: 'loader' }), stepsPerSecond }),
  };
}
