// ConstantLR and MultiplicativeLR against PyTorch 1.13's schedulers (values from
// scripts/torch_fixtures.py, committed in test/fixtures: the tests need no PyTorch).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constantFactor } from './constant-factor.js';
import { multiplicative } from './multiplicative.js';

interface Case {
  name: string;
  options: { lr: number; factor?: number; total_iters?: number; lambda?: string };
  values: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../test/fixtures/torch-schedulers.json', import.meta.url), 'utf8'),
) as { torch: string; cases: Case[] };

// The lambdas the script used, by their source text.
const LAMBDAS: Record<string, (epoch: number) => number> = {
  '0.95': () => 0.95,
  '1 / (1 + 0.1 * epoch)': (e) => 1 / (1 + 0.1 * e),
};

describe(`PyTorch ${fixture.torch} ConstantLR and MultiplicativeLR`, () => {
  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const o = c.options;
      const schedule =
        c.name === 'ConstantLR'
          ? constantFactor({
              initial: o.lr,
              ...(o.factor === undefined ? {} : { factor: o.factor }),
              ...(o.total_iters === undefined ? {} : { totalIters: o.total_iters }),
            })
          : multiplicative({ initial: o.lr, factor: LAMBDAS[o.lambda!]! });
      c.values.forEach((v, step) => {
        expect(Math.abs(schedule(step) - v), `step ${step}`).toBeLessThanOrEqual(1e-15 * Math.abs(v));
      });
    });
  }

  it('multiplicative is a pure function of the step (any order of calls) and refuses a bad factor', () => {
    const s = multiplicative({ initial: 1, factor: (t) => 1 / t });
    expect(s(4)).toBeCloseTo(1 / 24, 15);
    expect(s(2)).toBeCloseTo(1 / 2, 15);
    expect(s(0)).toBe(1);
    expect(() => multiplicative({ initial: 1, factor: () => -1 })(1)).toThrow(
      'multiplicative: factor(1) must be a finite number >= 0, got -1',
    );
  });

  it('constantFactor describes itself and validates', () => {
    expect(constantFactor({ initial: 0.1 }).description).toEqual({
      name: 'constantFactor',
      initial: 0.1,
      factor: 1 / 3,
      totalIters: 5,
    });
    expect(() => constantFactor({ initial: 0.1, factor: 2 })).toThrow(
      'constantFactor: factor must be a finite number in [0, 1], got 2',
    );
  });
});
