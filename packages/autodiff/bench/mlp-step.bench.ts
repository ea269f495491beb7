// One MLP training step (loss + gradient, then Adam's update applied to the parameters): the
// autodiff MLP (nn.sequential of dense and relu, softmax cross-entropy on the tape), eager and
// compiled, against the hand-written MLP of @downhill/models (float64, JavaScript), measured in
// the same run on the same parameters and batch and reported as samples per second and ratios;
// then the bytes each autodiff step allocates (heap growth over steps after a collection).
import { compare, machineInfo, report } from '@downhill/bench-harness';
import {
  type Batch,
  createRng,
  jsKernelSet,
  matrix,
  type Objective,
  type UpdateContext,
} from '@downhill/core';
import { mlp } from '@downhill/models';
import { adam } from '@downhill/optimizers';
import { nn, softmaxCrossEntropyLoss } from '../src/index.js';

console.log(machineInfo());

function batchOf(rows: number, inputs: number, classes: number, seed: number): Batch {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: rows * inputs }, () => rng.uniform(0, 1));
  const y = Float64Array.from({ length: rows }, () => rng.int(classes));
  return { x: matrix(x, rows, inputs), y: matrix(y, rows, 1) };
}

/** A training step as the run loop takes it: gradient into the update buffer, Adam, apply. */
function stepper(objective: Objective<Batch>, initial: Float64Array, batch: Batch): () => void {
  const params = initial.slice();
  const updates = new Float64Array(params.length);
  const optimizer = adam({ learningRate: 1e-3 });
  const state = optimizer.init(params);
  const context = { step: 0, loss: 0, overrides: {}, current: {} } as {
    -readonly [K in keyof UpdateContext]: UpdateContext[K];
  };
  return () => {
    context.loss = objective.loss(params, batch, updates);
    optimizer.update(updates, state, params, context);
    for (let i = 0; i < params.length; i++) params[i]! += updates[i]!;
    context.step++;
  };
}

function allocatedPerStep(step: () => void): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const steps = 100;
  // Past the first (tracing) step and the optimizing compiler's work on the hot functions.
  for (let i = 0; i < 30; i++) step();
  gc();
  let allocated = 0;
  let last = process.memoryUsage().heapUsed;
  for (let i = 0; i < steps; i++) {
    step();
    const now = process.memoryUsage().heapUsed;
    // A collection in between shows as a drop; count only growth.
    if (now > last) allocated += now - last;
    last = now;
  }
  return allocated / steps;
}

for (const [sizes, rows] of [
  [[64, 32, 10], 100],
  [[784, 128, 10], 128],
] as const) {
  const batch = batchOf(rows, sizes[0], sizes[2], 1);
  const model = () => nn.sequential(nn.dense(sizes[0], sizes[1]), nn.relu(), nn.dense(sizes[1], sizes[2]));
  const eager = nn.moduleObjective({ model: model(), loss: softmaxCrossEntropyLoss });
  const compiled = nn.moduleObjective({ model: model(), loss: softmaxCrossEntropyLoss, compile: true });
  const hand = mlp({ layers: [...sizes] });
  // The same hand-written MLP on the kernel set autodiff runs on (core's JavaScript float64 set):
  // the ratio against it is the autodiff plan's own cost, the rest is the kernels'.
  const handOnSeam = mlp({ layers: [...sizes], kernels: jsKernelSet('float64') });
  const params = eager.initialize(createRng(2));
  const steps = {
    hand: stepper(hand, params, batch),
    handOnSeam: stepper(handOnSeam, params, batch),
    eager: stepper(eager, params, batch),
    compiled: stepper(compiled, params, batch),
  };
  const baseline = 'models mlp (hand-written, float64)';
  const onSeam = 'models mlp on jsKernelSet(float64)';
  const results = await compare(
    {
      [baseline]: { ops: rows, run: steps.hand },
      [onSeam]: { ops: rows, run: steps.handOnSeam },
      'autodiff eager': { ops: rows, run: steps.eager },
      'autodiff compiled': { ops: rows, run: steps.compiled },
    },
    { rounds: 5, minTimeMs: 300 },
  );
  report(`MLP ${sizes.join('-')}, batch ${rows}: training step with Adam`, results, {
    baseline,
    unit: 'sample',
  });
  const speed = (name: string, of = baseline) => results[name]!.unitsPerSecond / results[of]!.unitsPerSecond;
  console.log(
    `autodiff compiled: ${speed('autodiff compiled').toFixed(2)}x the hand-written MLP's samples/s (target >= 0.9x); eager ${speed('autodiff eager').toFixed(2)}x; compiled ${speed('autodiff compiled', onSeam).toFixed(2)}x the hand-written MLP on the same kernel set`,
  );
  for (const [name, step] of [
    ['hand-written', steps.hand],
    ['autodiff eager', steps.eager],
    ['autodiff compiled', steps.compiled],
  ] as const) {
    const bytes = allocatedPerStep(step);
    if (bytes !== undefined)
      console.log(
        `${name} step allocates about ${(bytes / 1024).toFixed(1)} KiB per step (heap growth over 100 steps)`,
      );
  }
}

// Per-step allocation of compiled steps through the other layers (tanh, sigmoid, layer norm,
// batch norm, dropout), where a per-element call that V8 does not inline would box doubles.
{
  const batch = batchOf(64, 20, 5, 3);
  console.log('\n## Compiled step allocation, MLP 20-64-5 with other layers, batch 64');
  for (const [label, layers] of [
    ['tanh', () => [nn.tanh()]],
    ['sigmoid', () => [nn.sigmoid()]],
    ['gelu', () => [nn.gelu()]],
    ['layerNorm + relu', () => [nn.layerNorm(64), nn.relu()]],
    ['batchNorm + relu + dropout', () => [nn.batchNorm(64), nn.relu(), nn.dropout(0.2)]],
  ] as const) {
    const objective = nn.moduleObjective({
      model: nn.sequential(nn.dense(20, 64), ...layers(), nn.dense(64, 5)),
      loss: softmaxCrossEntropyLoss,
      compile: true,
    });
    const bytes = allocatedPerStep(stepper(objective, objective.initialize(createRng(2)), batch));
    if (bytes !== undefined) console.log(`${label}: about ${(bytes / 1024).toFixed(1)} KiB per step`);
  }
}
