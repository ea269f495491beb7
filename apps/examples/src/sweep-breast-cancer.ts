/**
 * A hyperparameter sweep: the learning rate (log-uniform) and momentum of SGD training a logistic
 * regression on the Breast Cancer Wisconsin data (`../shared/data/breast-cancer.csv`), chosen by
 * TPE, with ASHA stopping the trials whose validation loss lags at 1, 3 and 9 epochs. Four trials
 * train at once in this process; the sweep is an Observable of their events and its own.
 *
 * Run it: pnpm --filter examples sweep-breast-cancer
 */
import { type Batch, train } from '@downhill/core';
import { miniBatchLoader, readCsv, scaleSplits, splitDataset } from '@downhill/data';
import { logisticRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import { asha, logUniform, sweep, tpeSampler, uniform } from '@downhill/sweep';
import { lastValueFrom, tap } from 'rxjs';
import { isMain } from './is-main.js';

const EPOCHS = 27;

if (isMain(import.meta.url)) {
  const dataset = await readCsv({
    input: new URL('../../../../shared/data/breast-cancer.csv', import.meta.url),
    header: true,
    targets: 'benign',
  });
  // Standardised with the training part's statistics only, so validation stays unseen.
  const { train: trainSet, validation } = scaleSplits(splitDataset(dataset, { validation: 0.2, seed: 1 }), {
    method: 'standard',
  });
  const model = logisticRegression({ inputs: trainSet.x.cols });
  const validationBatch: Batch = { x: validation.x, y: validation.y };
  const fmt = (config: Readonly<Record<string, unknown>>) =>
    `lr ${(config.learningRate as number).toExponential(2)}, momentum ${(config.momentum as number).toFixed(3)}`;

  const sweep$ = sweep({
    space: {
      learningRate: logUniform({ low: 1e-4, high: 1 }),
      momentum: uniform({ low: 0, high: 0.99 }),
    },
    sampler: tpeSampler({ seed: 42, startupTrials: 8 }),
    trials: 32,
    concurrency: 4,
    metric: 'validationLoss',
    mode: 'min',
    scheduler: asha({ minBudget: 1, maxBudget: EPOCHS, reductionFactor: 3 }),
    objective: (config, control) =>
      train({
        objective: model,
        optimizer: sgd({ learningRate: config.learningRate as number, momentum: config.momentum as number }),
        params: (rng) => model.initialize(rng),
        loader: miniBatchLoader(trainSet, { batchSize: 32, seed: control.seed }),
        validation: miniBatchLoader(validation, { shuffle: false }),
        metrics: (params) => ({ accuracy: model.metrics(params, validationBatch).accuracy! }),
        epochs: EPOCHS,
        seed: control.seed,
        runId: control.trialId,
      }),
  });

  const end = await lastValueFrom(
    sweep$.pipe(
      tap((e) => {
        if (e.type === 'trial-start') console.log(`${e.trialId} starts: ${fmt(e.config)}`);
        else if (e.type === 'trial-pruned')
          console.log(`${e.trialId} pruned at epoch ${e.budget}: validation loss ${e.value.toFixed(4)}`);
        else if (e.type === 'trial-complete')
          console.log(`${e.trialId} completes ${e.budget} epochs: validation loss ${e.value.toFixed(4)}`);
        else if (e.type === 'trial-failed') console.log(`${e.trialId} failed: ${e.error}`);
        else if (e.type === 'best') console.log(`  best so far: ${e.trialId} (${fmt(e.config)})`);
      }),
    ),
  );
  if (end.type !== 'end') throw new Error('the sweep ended without an end event');
  const counts = { completed: 0, pruned: 0, failed: 0 };
  let epochs = 0;
  for (const r of end.results) {
    counts[r.state]++;
    epochs += r.budget;
  }
  console.log(
    `${end.results.length} trials: ${counts.completed} completed, ${counts.pruned} pruned, ${counts.failed} failed; ` +
      `${epochs} epochs trained of ${end.results.length * EPOCHS} without pruning`,
  );
  if (end.best === undefined) throw new Error('no trial completed');
  console.log(
    `best: ${end.best.trialId}, ${fmt(end.best.config)}: validation loss ${end.best.value.toFixed(4)}`,
  );
}
