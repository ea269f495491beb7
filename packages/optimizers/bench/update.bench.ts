// Cost of one optimizer update per parameter, for 1e6 parameters, next to a plain axpy loop
// (y += a x, the run loop's `params += updates`) measured in the same run.
// Every optimizer case first copies the gradient into `updates` (as the run loop does: the
// update rewrites it in place); the copy alone is measured too, so both figures can be read.
import { compare, report } from '@downhill/bench-harness';
import { createRng, type Optimizer, type UpdateContext } from '@downhill/core';
import {
  adabelief,
  adadelta,
  adafactor,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  asgd,
  type LayoutBlock,
  lamb,
  lars,
  lion,
  nadam,
  prodigy,
  radam,
  rmsprop,
  rprop,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  yogi,
} from '../src/index.js';

const n = 1_000_000;
const rng = createRng(7);
const params = Float64Array.from({ length: n }, () => rng.normal());
const grad = Float64Array.from({ length: n }, () => rng.normal());
const updates = new Float64Array(n);
const y = Float64Array.from(params);

function axpyLoop(alpha: number, x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i]! += alpha * x[i]!;
}

// Ten 100 x 1000 weight matrices: the layer-wise and factored methods work per block.
const layout: LayoutBlock[] = Array.from({ length: 10 }, (_, k) => ({
  name: `layer${k}.weights`,
  offset: k * 100_000,
  rows: 100,
  cols: 1000,
}));

const optimizers: Record<string, Optimizer> = {
  sgd: sgd({ learningRate: 0.01 }),
  'sgd momentum': sgd({ learningRate: 0.01, momentum: 0.9 }),
  'sgd nesterov': sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true }),
  adam: adam(),
  adamw: adamw(),
  amsgrad: amsgrad(),
  adagrad: adagrad(),
  rmsprop: rmsprop(),
  adadelta: adadelta(),
  adamax: adamax(),
  nadam: nadam(),
  radam: radam(),
  lion: lion(),
  rprop: rprop(),
  asgd: asgd(),
  adabelief: adabelief(),
  yogi: yogi(),
  'lamb (10 layers)': lamb({ layout }),
  'lars (10 layers)': lars({ layout }),
  'adafactor (10 factored blocks)': adafactor({ layout }),
  scheduleFreeSgd: scheduleFreeSgd(),
  scheduleFreeAdamw: scheduleFreeAdamw(),
  prodigy: prodigy(),
};

const cases: Record<string, { run(): void; ops: number }> = {
  axpy: { run: () => axpyLoop(1e-9, grad, y), ops: n },
  'copy gradient': { run: () => updates.set(grad), ops: n },
};
for (const [name, optimizer] of Object.entries(optimizers)) {
  const state = optimizer.init(params);
  const context: UpdateContext = { step: 0, loss: 1, overrides: {}, current: {} };
  cases[name] = {
    run: () => {
      updates.set(grad);
      optimizer.update(updates, state, params, context);
      (context as { step: number }).step++;
    },
    ops: n,
  };
}

const results = await compare(cases, { rounds: 5, minTimeMs: 150, warmup: 3 });
report('optimizer update, 1e6 parameters (incl. gradient copy)', results, {
  baseline: 'axpy',
  unit: 'param',
});

const axpy = results.axpy!.nsPerUnit;
const copy = results['copy gradient']!.nsPerUnit;
console.log(
  '\n  update alone (minus the gradient copy), ratio to axpy; target <= 3x for sgd, momentum, adam',
);
for (const name of Object.keys(optimizers)) {
  const net = results[name]!.nsPerUnit - copy;
  const target = name === 'sgd' || name === 'sgd momentum' || name === 'adam' ? '  (target 3x)' : '';
  console.log(
    `  ${name.padEnd(16)} ${net.toFixed(3).padStart(8)} ns/param  x${(net / axpy).toFixed(2)}${target}`,
  );
}
