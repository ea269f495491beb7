/**
 * Batch, mini-batch and stochastic gradient descent over the same epochs (seed documents: "the
 * entire dataset is used to compute the gradients ... instead random subsets are used").
 * Definition: `batchSizes` in packages/cli/src/experiments/batch-sizes.ts.
 *
 * Run it: pnpm --filter examples batch-sizes
 */
import { batchSizes, formatNumber } from '@downhill/cli';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${batchSizes.title}\n${batchSizes.description}\n`);
  const runs = await recordExperiment(batchSizes);
  const checkpoints = [1, 2, 5, 10, 20, 30];
  const rows = runs.map((r) => [
    r.label,
    ...checkpoints.map((e) => formatNumber(r.epochs[e - 1]?.loss ?? Number.NaN)),
    String(r.end.step),
    `[${r.end.params.map(formatNumber).join(', ')}]`,
  ]);
  console.log('Mean training loss at the end of epoch ...');
  console.log(table(['run', ...checkpoints.map((e) => `epoch ${e}`), 'updates', 'final (m, b)'], rows));
  console.log(
    '\nSame passes over the data, more updates: the smaller the batch, the further it gets per epoch,',
  );
  console.log('at the price of a noisier path (see the trajectories in `downhill demo`).');
}
