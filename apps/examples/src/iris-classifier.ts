/**
 * An MLP classifying iris flowers, written once for Node and the browser (`browser/main.ts` trains
 * it in a page): CSV text in, a run out. The data are read from text rather than a file so that
 * nothing here needs Node.
 *
 * Run it in Node: pnpm --filter examples iris-mlp (src/iris-mlp.ts); in a browser, see browser/.
 */
import type { Batch, TrainSpec } from '@downhill/core';
import { miniBatchLoader, readCsvText, scaleSplits, splitDataset } from '@downhill/data';
import { type Model, mlp } from '@downhill/models';
import { adam } from '@downhill/optimizers';
import { cosineDecay } from '@downhill/schedules';

export interface IrisMlp {
  readonly model: Model;
  /** The run, without `control`: add it to steer the run (or publish it with `publishRun`). */
  readonly spec: TrainSpec<Batch>;
  /** The held-out fifth of the flowers, for `model.metrics(params, test)`. */
  readonly test: Batch;
}

export interface IrisMlpOptions {
  /** The iris CSV: four measurements, then `species` (0, 1 or 2). */
  readonly csv: string;
  readonly epochs?: number;
  /** `float32` runs the WebAssembly SIMD kernels where the runtime has them (default `float64`). */
  readonly compute?: 'float32' | 'float64';
}

/** A 4-16-3 ReLU MLP trained by Adam under cosine decay, on standardised features. */
export async function irisMlp(options: IrisMlpOptions): Promise<IrisMlp> {
  const epochs = options.epochs ?? 60;
  const dataset = await readCsvText({ text: options.csv, header: true, targets: 'species' });
  const { train: trainSet, test } = scaleSplits(splitDataset(dataset, { test: 0.2, seed: 7 }), {
    method: 'standard',
  });
  const model = mlp({ layers: [4, 16, 3], compute: options.compute ?? 'float64' });
  const loader = miniBatchLoader(trainSet, { batchSize: 16, seed: 3 });
  const spec: TrainSpec<Batch> = {
    objective: model,
    optimizer: adam({
      learningRate: cosineDecay({ initial: 0.02, decaySteps: epochs * loader.batchesPerEpoch }),
    }),
    params: (rng) => model.initialize(rng),
    seed: 11,
    loader,
    epochs,
    validation: miniBatchLoader(test, { shuffle: false }),
  };
  return { model, spec, test: { x: test.x, y: test.y } };
}
