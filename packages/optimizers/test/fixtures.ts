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
