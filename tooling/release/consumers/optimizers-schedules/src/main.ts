// A user's program that installed only @downhill/optimizers and @downhill/schedules: it drives
// the optimizers by hand (no run loop), so it needs nothing else. Oracles are hand-derived.
import { adam, sgd } from '@downhill/optimizers';
import { cosineDecay, warmupCosineDecay } from '@downhill/schedules';

type Optimizer = ReturnType<typeof sgd>;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`optimizers-schedules consumer: ${message}`);
}

const target = Float64Array.of(3, -2, 0.5);

/** Minimizes f(p) = 1/2 |p - target|^2 (gradient p - target) from p = 0; returns the final p. */
function minimize(optimizer: Optimizer, steps: number): Float64Array {
  const params = new Float64Array(target.length);
  const updates = new Float64Array(target.length);
  const state = optimizer.init(params);
  const overrides: Record<string, number> = {};
  const current: Record<string, number> = {};
  for (let step = 0; step < steps; step++) {
    let loss = 0;
    for (let i = 0; i < params.length; i++) {
      updates[i] = params[i]! - target[i]!;
      loss += 0.5 * updates[i]! ** 2;
    }
    optimizer.update(updates, state, params, { step, loss, overrides, current });
    for (let i = 0; i < params.length; i++) params[i]! += updates[i]!;
  }
  return params;
}

// One plain SGD step from 0: p1 = p0 - lr * (p0 - target) = lr * target.
const oneStep = minimize(sgd({ learningRate: 0.1 }), 1);
oneStep.forEach((value, i) => {
  check(Math.abs(value - 0.1 * target[i]!) < 1e-15, `sgd step ${i}: ${value}`);
});

// Cosine decay (Loshchilov & Hutter): lr(t) = initial * (1 + cos(pi t / T)) / 2.
const cosine = cosineDecay({ initial: 0.1, decaySteps: 100 });
check(Math.abs(cosine(0) - 0.1) < 1e-15, `cosineDecay(0) = ${cosine(0)}`);
check(Math.abs(cosine(50) - 0.05) < 1e-15, `cosineDecay(50) = ${cosine(50)}`);
check(Math.abs(cosine(100)) < 1e-15, `cosineDecay(100) = ${cosine(100)}`);

// Adam with a warm-up + cosine schedule reaches the minimum of the quadratic.
const schedule = warmupCosineDecay({ peak: 0.1, warmupSteps: 10, decaySteps: 600 });
const found = minimize(adam({ learningRate: schedule }), 600);
const distance = Math.hypot(...found.map((value, i) => value - target[i]!));
check(distance < 1e-2, `adam ended ${distance} away from the minimum`);

console.log(
  `optimizers-schedules consumer: ok (sgd step exact, cosine decay exact, adam within ${distance.toExponential(2)})`,
);
