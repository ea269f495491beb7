// Reads the PyTorch reference values written by scripts/torch_fixtures.py (committed JSON: the
// tests need no PyTorch) and rebuilds the fixtures' objectives here.
import { readFileSync } from 'node:fs';
import type { Objective } from '@downhill/core';
import { quadratic, rosenbrock } from './objectives.js';

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** The objectives the script defines (same constants as `QUAD_A`, `QUAD_C` there). */
export function fixtureObjective(name: string): Objective<void> {
  if (name === 'rosenbrock') return rosenbrock;
  if (name === 'quadratic') {
    return quadratic(Float64Array.of(3, 0.5, 0, 0.5, 2, -0.3, 0, -0.3, 1), Float64Array.of(1, -2, 0.5));
  }
  throw new Error(`fixtures: unknown objective ${name}`);
}

/** -f: maximising it descends f (the script's maximize cases). */
export function negated(f: Objective<void>): Objective<void> {
  return {
    dimension: f.dimension,
    loss(x, batch, grad) {
      const value = f.loss(x, batch, grad);
      if (grad) for (let i = 0; i < grad.length; i++) grad[i] = -grad[i]!;
      return -value;
    },
  };
}

/** Standardised (population std) breast-cancer features with a bias column left implicit. */
export function breastCancer(): { x: Float64Array; y: Float64Array; rows: number; cols: number } {
  const lines = readFileSync(new URL('./fixtures/breast-cancer.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const data = lines.slice(1).map((l) => l.split(',').map(Number));
  const rows = data.length;
  const cols = data[0]!.length - 1;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i]![j]!;
    mean /= rows;
    let v = 0;
    for (let i = 0; i < rows; i++) v += (data[i]![j]! - mean) ** 2;
    const sd = Math.sqrt(v / rows);
    for (let i = 0; i < rows; i++) x[i * cols + j] = (data[i]![j]! - mean) / sd;
  }
  for (let i = 0; i < rows; i++) y[i] = data[i]![cols]!;
  return { x, y, rows, cols };
}

/** Mean logistic loss + (l2 / 2) ||w||^2 (bias last, not penalised), as the fixture script. */
export function logisticObjective(l2: number): Objective<void> {
  const { x, y, rows, cols } = breastCancer();
  return {
    dimension: cols + 1,
    loss(p, _batch, grad) {
      if (grad) grad.fill(0);
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        let z = p[cols]!;
        for (let j = 0; j < cols; j++) z += x[i * cols + j]! * p[j]!;
        // softplus(z) - y z, stably
        sum += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
        if (grad) {
          const r = (1 / (1 + Math.exp(-z)) - y[i]!) / rows;
          for (let j = 0; j < cols; j++) grad[j]! += r * x[i * cols + j]!;
          grad[cols]! += r;
        }
      }
      let penalty = 0;
      for (let j = 0; j < cols; j++) {
        penalty += p[j]! * p[j]!;
        if (grad) grad[j]! += l2 * p[j]!;
      }
      return sum / rows + 0.5 * l2 * penalty;
    },
  };
}
