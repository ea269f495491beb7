import type { Experiment, ExperimentRun } from '../experiments/experiment.js';

/** What the loop needs of an attached run (the server's `AttachedRun`). */
export interface LoopRun {
  readonly runId: Promise<string>;
  readonly done: Promise<void>;
  detach(): void;
}

export interface LiveLoopOptions {
  /** The experiment trained again and again. */
  readonly experiment: Experiment;
  /** Starts one run on the server (paced by the caller); `meta` marks it as a loop run of `round`. */
  readonly attach: (run: ExperimentRun, meta: { readonly demo: 'loop'; readonly round: number }) => LoopRun;
  /** Deletes a finished run from the store (the server's `deleteRun`). */
  readonly removeRun: (runId: string) => Promise<void>;
  /** Rounds kept in the store, the running one included (default 2: the live round and the last finished one). */
  readonly keepRounds?: number;
  /** Told when a round starts (1, 2, ...) and when removing an old run failed. */
  readonly onRound?: (round: number) => void;
  readonly onError?: (error: Error) => void;
}

/**
 * Keeps a demo live for as long as it is served: trains `experiment`'s runs, and when they have
 * all ended, trains them again as new runs, deleting the rounds before the last `keepRounds - 1`
 * so the run list does not grow. Whoever opens the dashboard minutes later still sees training.
 * `stop()` detaches the running round (its runs are recorded as interrupted) and resolves once
 * the loop has ended.
 */
export function startLiveLoop(options: LiveLoopOptions): { stop(): Promise<void> } {
  const keep = options.keepRounds ?? 2;
  if (!Number.isInteger(keep) || keep < 1)
    throw new RangeError(`startLiveLoop: keepRounds must be an integer >= 1, got ${keep}`);
  let stopped = false;
  let current: LoopRun[] = [];
  const rounds: string[][] = [];
  const loop = (async () => {
    for (let round = 1; !stopped; round++) {
      options.onRound?.(round);
      current = options.experiment.runs().map((run) => options.attach(run, { demo: 'loop', round }));
      const ids = await Promise.all(current.map((run) => run.runId.catch(() => undefined)));
      rounds.push(ids.filter((id): id is string => id !== undefined));
      await Promise.all(current.map((run) => run.done.catch(() => undefined)));
      if (stopped) break;
      // Before the next round starts: drop the rounds that would fall out of the last `keep`.
      while (rounds.length > keep - 1) {
        for (const runId of rounds.shift()!)
          await options.removeRun(runId).catch((error: Error) => options.onError?.(error));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      for (const run of current) run.detach();
      await loop;
    },
  };
}
