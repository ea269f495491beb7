/**
 * One trial of the breast-cancer sweep (sweep-breast-cancer.ts): SGD with the trial's learning rate
 * and momentum training a logistic regression. Its own module because each worker thread imports
 * it; the data is read once per worker.
 */
import { type Batch, type TrainEvent, train } from '@downhill/core';
import { type Dataset, miniBatchLoader, readCsv, scaleSplits, splitDataset } from '@downhill/data';
import { logisticRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import type { Config, TrialControl } from '@downhill/sweep';
import type { Observable } from 'rxjs';

export const EPOCHS = 27;

let splits: Promise<{ train: Dataset; validation: Dataset }> | undefined;

async function load(): Promise<{ train: Dataset; validation: Dataset }> {
  const dataset = await readCsv({
    input: new URL('../../../../shared/data/breast-cancer.csv', import.meta.url),
    header: true,
    targets: 'benign',
  });
  // Standardised with the training part's statistics only, so validation stays unseen.
  return scaleSplits(splitDataset(dataset, { validation: 0.2, seed: 1 }), { method: 'standard' });
}

export async function breastCancerTrial(
  config: Config,
  control: TrialControl,
): Promise<Observable<TrainEvent>> {
  splits ??= load();
  const { train: trainSet, validation } = await splits;
  const model = logisticRegression({ inputs: trainSet.x.cols });
  const validationBatch: Batch = { x: validation.x, y: validation.y };
  return train({
    objective: model,
    optimizer: sgd({ learningRate: config.learningRate as number, momentum: config.momentum as number }),
    params: (rng) => model.initialize(rng),
    loader: miniBatchLoader(trainSet, { batchSize: 32, seed: control.seed }),
    validation: miniBatchLoader(validation, { shuffle: false }),
    metrics: (params) => ({ accuracy: model.metrics(params, validationBatch).accuracy! }),
    epochs: EPOCHS,
    seed: control.seed,
    runId: control.trialId,
  });
}
