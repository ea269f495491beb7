/**
 * Cosine annealing with warm restarts and stochastic weight averaging on a noisy problem (seed
 * documents: learning-rate annealing and restarts; averaging the weights). Definition:
 * `warmRestartsSwa` in packages/cli/src/experiments/warm-restarts-swa.ts.
 *
 * Run it: pnpm --filter examples warm-restarts-swa
 */
import { formatNumber, warmRestartsSwa } from '@downhill/cli';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${warmRestartsSwa.title}\n${warmRestartsSwa.description}\n`);
  const runs = await recordExperiment(warmRestartsSwa);
  const checkpoints = [5, 10, 15, 20, 25, 30];
  console.log('Loss over all the data at the end of epoch ... (SWA: at the averaged parameters)');
  const rows = runs.map((r) => [
    r.label,
    ...checkpoints.map((e) => {
      const metrics = r.epochs[e - 1]?.metrics;
      return formatNumber(metrics?.swaLoss ?? metrics?.fullLoss ?? Number.NaN);
    }),
  ]);
  console.log(table(['run', ...checkpoints.map((e) => `epoch ${e}`)], rows));
}
