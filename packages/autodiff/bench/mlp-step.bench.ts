// One MLP loss + gradient evaluation (the work of a training step before the optimizer):
// the autodiff MLP (nn.sequential of dense and relu, softmax cross-entropy on the tape) against
// the hand-written MLP of @downhill/models (float64, JavaScript), measured in the same run on
// the same parameters and batch, reported as samples per second and as a ratio; then the bytes
// the autodiff step allocates (heap growth over steps with the collector held off as far as V8 allows).
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { type Batch, createRng, matrix } from '@downhill/core';
import { mlp } from '@downhill/models';
import { nn, softmaxCrossEntropyLoss } from '../src/index.js';

console.log(machineInfo());

function batchOf(rows: number, inputs: number, classes: number, seed: number): Batch {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: rows * inputs }, () => rng.uniform(0, 1));
  const y = Float64Array.from({ length: rows }, () => rng.int(classes));
  return { x: matrix(x, rows, inputs), y: matrix(y, rows, 1) };
}

for (const [sizes, rows] of [
  [[64, 32, 10], 100],
  [[784, 128, 10], 128],
] as const) {
  const batch = batchOf(rows, sizes[0], sizes[2], 1);
  const auto = nn.moduleObjective({
    model: nn.sequential(nn.dense(sizes[0], sizes[1]), nn.relu(), nn.dense(sizes[1], sizes[2])),
    loss: softmaxCrossEntropyLoss,
  });
  const hand = mlp({ layers: [...sizes] });
  const params = auto.initialize(createRng(2));
  const g1 = new Float64Array(auto.dimension);
  const g2 = new Float64Array(hand.dimension);
  const results = await compare(
    {
      'models mlp (hand-written, float64)': { ops: rows, run: () => hand.loss(params, batch, g2) },
      'autodiff nn.sequential': { ops: rows, run: () => auto.loss(params, batch, g1) },
    },
    { rounds: 5, minTimeMs: 300 },
  );
  report(`MLP ${sizes.join('-')}, batch ${rows}: loss + gradient`, results, {
    baseline: 'models mlp (hand-written, float64)',
    unit: 'sample',
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    const steps = 20;
    gc();
    const before = process.memoryUsage().heapUsed;
    let allocated = 0;
    let last = before;
    for (let i = 0; i < steps; i++) {
      auto.loss(params, batch, g1);
      const now = process.memoryUsage().heapUsed;
      // A collection in between shows as a drop; count only growth.
      if (now > last) allocated += now - last;
      last = now;
    }
    console.log(
      `autodiff step allocates about ${Math.round(allocated / steps / 1024)} KiB per step (heap growth over ${steps} steps)`,
    );
  }
}
