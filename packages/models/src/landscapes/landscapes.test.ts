import { createRng, matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { booth } from '../test-functions/classic-functions.js';
import { lossGrid } from './loss-grid.js';
import { randomDirectionSlice } from './random-direction-slice.js';

describe('lossGrid', () => {
  it('evaluates Booth on a grid that contains its minimum (1, 3)', () => {
    const grid = lossGrid(booth(), { x: { min: -1, max: 3, steps: 5 }, y: { min: 1, max: 5, steps: 5 } });
    expect([...grid.xs]).toEqual([-1, 0, 1, 2, 3]);
    expect([...grid.ys]).toEqual([1, 2, 3, 4, 5]);
    // (x, y) = (0, 1): (0 + 2 - 7)^2 + (0 + 1 - 5)^2 = 25 + 16 = 41, at row j = 0, column i = 1.
    expect(grid.values[1]).toBe(41);
    expect(grid.values[2 * 5 + 2]).toBe(0);
    expect(grid.min).toBe(0);
    expect(grid.max).toBe(Math.max(...grid.values));
  });

  it('cuts a plane through a many-parameter objective and names bad input', () => {
    const model = mlp({ layers: [2, 2, 2] });
    const center = model.initialize(createRng(1));
    const batch = {
      x: matrix(new Float64Array([1, 0, 0, 1]), 2, 2),
      y: matrix(new Float64Array([0, 1]), 2, 1),
    };
    const grid = lossGrid(model, {
      x: { min: -1, max: 1, steps: 3 },
      y: { min: -1, max: 1, steps: 3 },
      center,
      axes: [0, 3],
      batch,
    });
    const p = center.slice();
    p[0] = 1;
    p[3] = -1;
    expect(grid.values[2]).toBe(model.loss(p, batch));
    expect(() =>
      lossGrid(model, { x: { min: 0, max: 1, steps: 3 }, y: { min: 0, max: 1, steps: 3 }, batch }),
    ).toThrow(/give center/);
    expect(() =>
      lossGrid(booth(), { x: { min: 0, max: 1, steps: 1 }, y: { min: 0, max: 1, steps: 3 } }),
    ).toThrow(/x.steps must be an integer >= 2/);
  });
});

describe('randomDirectionSlice', () => {
  const model = mlp({ layers: [3, 4, 2] });
  const center = model.initialize(createRng(2));
  const rng = createRng(3);
  const batch = {
    x: matrix(
      Float64Array.from({ length: 18 }, () => rng.normal()),
      6,
      3,
    ),
    y: matrix(
      Float64Array.from({ length: 6 }, () => rng.int(2)),
      6,
      1,
    ),
  };

  it('filter normalisation: each filter of each direction has the norm of the centre filter; biases 0', () => {
    const slice = randomDirectionSlice(model, { center, batch, seed: 9, steps: 5, layout: model.layout });
    for (const d of slice.directions) {
      for (const block of model.layout) {
        for (let r = 0; r < block.rows; r++) {
          let dn = 0;
          let tn = 0;
          for (let c = 0; c < block.cols; c++) {
            const i = block.offset + r * block.cols + c;
            dn += d[i]! ** 2;
            tn += center[i]! ** 2;
          }
          if (block.kind === 'bias') expect(dn).toBe(0);
          else expect(Math.sqrt(dn)).toBeCloseTo(Math.sqrt(tn), 12);
        }
      }
    }
    // The middle of the grid is the centre itself.
    expect(slice.values[2 * 5 + 2]).toBe(model.loss(center, batch));
    // A corner is centre + alpha d1 + beta d2.
    const p = center.map((v, i) => v - slice.directions[0][i]! + slice.directions[1][i]!);
    expect(slice.values[4 * 5 + 0]).toBeCloseTo(model.loss(p, batch), 14);
  });

  it('is fixed by its seed', () => {
    const a = randomDirectionSlice(model, { center, batch, seed: 1, steps: 3, layout: model.layout });
    const b = randomDirectionSlice(model, { center, batch, seed: 1, steps: 3, layout: model.layout });
    expect([...a.values]).toEqual([...b.values]);
    const raw = randomDirectionSlice(model, { center, batch, seed: 1, steps: 3, normalization: 'none' });
    expect([...raw.values]).not.toEqual([...a.values]);
  });
});
