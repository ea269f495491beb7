// A user's program that installed only @downhill/core, @downhill/models and @downhill/data and
// trains a small model with core's run loop. @downhill/optimizers is not installed, so the
// optimizer is a plain SGD written against core's Optimizer contract.
import { type Optimizer, type TrainEvent, train } from '@downhill/core';
import { miniBatchLoader, noisyLine } from '@downhill/data';
import { linearRegression } from '@downhill/models';

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`core-models-data consumer: ${message}`);
}

/** p <- p - lr * g, with the learning rate settable while the run is live. */
function plainSgd(learningRate: number): Optimizer<null> {
  return {
    name: 'plain-sgd',
    settable: ['learningRate'],
    init: () => null,
    update(updates, _state, _params, context) {
      const lr = context.overrides.learningRate ?? learningRate;
      context.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
    },
    describe: () => ({ name: 'plain-sgd', learningRate }),
  };
}

// y = 5 x + 3 + noise: the generating line is the oracle for the fitted parameters.
const data = noisyLine({ samples: 256, seed: 7, slope: 5, intercept: 3, noise: 0.1 });
const model = linearRegression({ inputs: 1 });
const loader = miniBatchLoader(data, { batchSize: 32, shuffle: true, seed: 1 });

const events = await new Promise<TrainEvent[]>((resolve, reject) => {
  const seen: TrainEvent[] = [];
  train({
    objective: model,
    optimizer: plainSgd(0.1),
    params: (rng) => model.initialize(rng),
    loader,
    epochs: 40,
    seed: 1,
  }).subscribe({ next: (event) => seen.push(event), error: reject, complete: () => resolve(seen) });
});

const epochs = events.filter((event) => event.type === 'epoch');
const end = events.find((event) => event.type === 'end');
check(end?.type === 'end' && end.reason === 'completed', `run ended with ${JSON.stringify(end)}`);
check(epochs.length === 40, `expected 40 epoch events, got ${epochs.length}`);
const [slope, intercept] = end?.type === 'end' ? end.params : [];
check(Math.abs(slope! - 5) < 0.1 && Math.abs(intercept! - 3) < 0.1, `fitted y = ${slope} x + ${intercept}`);
const first = epochs[0]!.loss;
const last = epochs[epochs.length - 1]!.loss;
check(last < first / 10, `mean epoch loss went from ${first} to ${last}`);

console.log(
  `core-models-data consumer: ok (${events.filter((e) => e.type === 'step').length} steps, ` +
    `loss ${first.toFixed(3)} -> ${last.toFixed(4)}, y = ${slope!.toFixed(3)} x + ${intercept!.toFixed(3)})`,
);
