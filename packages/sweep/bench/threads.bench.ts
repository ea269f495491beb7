// 200 short trials (a logistic regression on the breast-cancer data, SGD, a few epochs each) run
// by threadSweep on 1, 2 and 4 worker threads, against the same 200 trials run one after another
// in this thread (the baseline, measured in the same run). Prints trials per minute and the
// efficiency against the ideal: the baseline's time divided by min(workers, cores), since more
// workers than cores cannot run at once. Ray Tune's reference: 10,000 one-second trials on 16
// CPUs in 715 s against a 625 s minimum (87%).
// Run: pnpm --filter @downhill/sweep bench (or node --conditions=development --import tsx bench/threads.bench.ts)

import { availableParallelism, cpus, loadavg } from 'node:os';
import { lastValueFrom, type Observable, tap } from 'rxjs';
import { logUniform } from '../src/log-uniform.js';
import { breastCancerTrial } from '../src/node/test-trials.js';
import { threadSweep } from '../src/node/thread-sweep.js';
import { randomSampler } from '../src/random-sampler.js';
import { sweep } from '../src/sweep.js';
import type { SweepEvent } from '../src/sweep-event.js';
import { uniform } from '../src/uniform.js';

const TRIALS = Number(process.env.TRIALS ?? 200);
const EPOCHS = Number(process.env.EPOCHS ?? 20);
const MODULE = new URL('../src/node/test-trials.ts', import.meta.url).href;
const common = {
  space: { learningRate: logUniform({ low: 1e-3, high: 1 }), momentum: uniform({ low: 0, high: 0.9 }) },
  sampler: randomSampler({ seed: 1 }),
  trials: TRIALS,
  metric: 'validationLoss',
  seed: 2,
};

/** Seconds to the end, and to the first event of a trial (for workers: their start-up). */
async function timed(
  source: Observable<SweepEvent>,
): Promise<{ seconds: number; firstEvent: number; completed: number }> {
  const start = performance.now();
  let firstEvent = Number.NaN;
  const end = await lastValueFrom(
    source.pipe(
      tap((e) => {
        if (e.type === 'trial-event' && Number.isNaN(firstEvent))
          firstEvent = (performance.now() - start) / 1000;
      }),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  if (end.type !== 'end') throw new Error('no end event');
  return { seconds, firstEvent, completed: end.results.filter((r) => r.state === 'completed').length };
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(`${cpus()[0]?.model ?? 'cpu'}; ${cores} cores available; Node ${process.version}`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other processes share these cores)`,
  );
  console.log(`${TRIALS} trials of ${EPOCHS} epochs each (logistic regression, breast-cancer, SGD)\n`);

  // Warm-up, so that the baseline is not charged for compiling the run loop.
  await timed(
    sweep({
      ...common,
      trials: 20,
      objective: (c, control) => breastCancerTrial(c, control, { epochs: EPOCHS }),
    }),
  );
  const baseline = await timed(
    sweep({ ...common, objective: (c, control) => breastCancerTrial(c, control, { epochs: EPOCHS }) }),
  );
  const perTrial = (baseline.seconds / TRIALS) * 1000;
  console.log(
    `baseline, this thread, one at a time: ${baseline.seconds.toFixed(2)} s, ${((TRIALS / baseline.seconds) * 60).toFixed(0)} trials/min (${perTrial.toFixed(1)} ms a trial)`,
  );
  console.log('\nworkers  seconds  trials/min  ideal s  efficiency  first event s  after it: efficiency');
  for (const workers of [1, 2, 4]) {
    const run = await timed(
      threadSweep({
        ...common,
        concurrency: workers,
        trial: { module: MODULE, export: 'breastCancerTrial', options: { epochs: EPOCHS } },
      }),
    );
    if (run.completed !== baseline.completed)
      throw new Error(
        `${workers} workers completed ${run.completed} trials, the baseline ${baseline.completed}`,
      );
    const ideal = baseline.seconds / Math.min(workers, cores);
    console.log(
      `${String(workers).padEnd(7)}  ${run.seconds.toFixed(2).padStart(7)}  ${((TRIALS / run.seconds) * 60).toFixed(0).padStart(10)}  ${ideal.toFixed(2).padStart(7)}  ${((ideal / run.seconds) * 100).toFixed(0).padStart(9)}%  ${run.firstEvent.toFixed(2).padStart(13)}  ${((ideal / (run.seconds - run.firstEvent)) * 100).toFixed(0).padStart(18)}%`,
    );
  }
  if (cores < 4)
    console.log(
      `\n${cores} cores: more workers than that share them, so their ideal is the ${cores}-core one.`,
    );
  console.log(
    "The first event comes once a worker has started (tsx, the trial module, the data); 'after it' leaves that start-up out.",
  );
}

await main();
