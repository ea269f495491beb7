/** What `removeDemoRuns` reads of a stored run (the server's `RunSummary`). */
export interface StoredRun {
  readonly runId: string;
  readonly status: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * True for a run an earlier `downhill demo` started: marked `demo` in its metadata, or (from
 * demos before that mark existed) carrying the experiment and run names the demo attaches.
 */
export function isDemoRun(run: StoredRun): boolean {
  if (run.meta.demo === 'seed' || run.meta.demo === 'loop') return true;
  return typeof run.meta.experiment === 'string' && typeof run.meta.run === 'string';
}

/**
 * Deletes the runs an earlier demo left in the store, so that starting the demo again replaces
 * its seed experiments instead of adding a second copy of each. Live runs are left alone (a
 * demo still running elsewhere on the same store). Resolves with the number deleted.
 */
export async function removeDemoRuns(options: {
  readonly runs: () => Promise<readonly StoredRun[]>;
  readonly removeRun: (runId: string) => Promise<void>;
}): Promise<number> {
  const stale = (await options.runs()).filter(
    (run) => isDemoRun(run) && run.status !== 'running' && run.status !== 'paused',
  );
  for (const run of stale) await options.removeRun(run.runId);
  return stale.length;
}
