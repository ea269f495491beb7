/**
 * A hyperparameter sweep: the learning rate (log-uniform) and momentum of SGD training a logistic
 * regression on the Breast Cancer Wisconsin data (`../shared/data/breast-cancer.csv`), chosen by
 * TPE, with ASHA stopping the trials whose validation loss lags at 1, 3 and 9 epochs. The trials
 * run in worker threads, one per core (the trial lives in breast-cancer-trial.ts, which each
 * worker imports); the sweep is an Observable of their events and its own, watched here live.
 *
 * Run it: pnpm --filter examples sweep-breast-cancer
 */
import { asha, logUniform, tpeSampler, uniform } from '@downhill/sweep';
import { threadSweep } from '@downhill/sweep/node';
import { lastValueFrom, tap } from 'rxjs';
import { EPOCHS } from './breast-cancer-trial.js';
import { isMain } from './is-main.js';

if (isMain(import.meta.url)) {
  const fmt = (config: Readonly<Record<string, unknown>>) =>
    `lr ${(config.learningRate as number).toExponential(2)}, momentum ${(config.momentum as number).toFixed(3)}`;

  const sweep$ = threadSweep({
    space: {
      learningRate: logUniform({ low: 1e-4, high: 1 }),
      momentum: uniform({ low: 0, high: 0.99 }),
    },
    sampler: tpeSampler({ seed: 42, startupTrials: 8 }),
    trials: 32,
    metric: 'validationLoss',
    mode: 'min',
    scheduler: asha({ minBudget: 1, maxBudget: EPOCHS, reductionFactor: 3 }),
    trial: { module: new URL('./breast-cancer-trial.ts', import.meta.url).href, export: 'breastCancerTrial' },
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
