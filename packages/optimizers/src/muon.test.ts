import { deserializeState, serializeState } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { adamw } from './adamw.js';
import { muon } from './muon.js';
import { newtonSchulz, newtonSchulzScratch } from './orthogonalize.js';
import type { LayoutBlock } from './parameter-layout.js';
import { sgd } from './sgd.js';

// A 3 x 2 weight matrix (tall: Newton-Schulz runs on its transpose), then a 1 x 2 bias.
const LAYOUT: LayoutBlock[] = [
  { name: 'layer0.weights', kind: 'weight', offset: 0, rows: 3, cols: 2 },
  { name: 'layer0.bias', kind: 'bias', offset: 6, rows: 1, cols: 2 },
];
const START = [1.5, -0.5, 0.05, 2, -1, 0.25, 0.3, -4];
const ABC: [number, number, number] = [3.4445, -4.775, 2.0315];

type M = number[][];
const mul = (a: M, b: M): M =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: M): M => a[0]!.map((_, j) => a.map((row) => row[j]!));

/** Newton-Schulz as PyTorch's _zeropower_via_newtonschulz writes it, on nested arrays. */
function ns(g: M, [a, b, c]: [number, number, number], steps: number): M {
  const tall = g.length > g[0]!.length;
  let x = tall ? tr(g) : g.map((r) => [...r]);
  const norm = Math.sqrt(x.flat().reduce((s, v) => s + v * v, 0));
  x = x.map((r) => r.map((v) => v / Math.max(norm, 1e-7)));
  for (let s = 0; s < steps; s++) {
    const A = mul(x, tr(x));
    const AA = mul(A, A);
    const B = A.map((r, i) => r.map((v, j) => b * v + c * AA[i]![j]!));
    const BX = mul(B, x);
    x = x.map((r, i) => r.map((v, j) => a * v + BX[i]![j]!));
  }
  return tall ? tr(x) : x;
}

describe('muon, against PyTorch 2.9 (torch.optim.Muon) written out by hand', () => {
  it('Newton-Schulz with (1.5, -0.5, 0) converges to the orthogonal polar factor: O^T O = I', () => {
    const g = Float64Array.of(3, 1, -2, 0.5, 1, 4);
    const out = new Float64Array(6);
    newtonSchulz(g, out, 0, 3, 2, [1.5, -0.5, 0], 60, 1e-7, newtonSchulzScratch(3, 2));
    const o = [
      Array.from(out.subarray(0, 2)),
      Array.from(out.subarray(2, 4)),
      Array.from(out.subarray(4, 6)),
    ];
    const oto = mul(tr(o), o);
    expect(oto[0]![0]).toBeCloseTo(1, 12);
    expect(oto[1]![1]).toBeCloseTo(1, 12);
    expect(oto[0]![1]).toBeCloseTo(0, 12);
  });

  it('three steps: NS5 on the Nesterov momentum of the 3 x 2 block, SGD fallback on the bias', () => {
    const lr = 0.02;
    const wd = 0.1;
    const mu = 0.95;
    const path = runSteps(
      muon({ layout: LAYOUT, learningRate: lr, weightDecay: wd, fallback: sgd({ learningRate: 0.1 }) }),
      sumOfSquares(START.length),
      START,
      3,
    );
    const x = [...START];
    let buf: M = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    for (let t = 0; t < 3; t++) {
      const G: M = [0, 1, 2].map((i) => [2 * x[2 * i]!, 2 * x[2 * i + 1]!]);
      buf = buf.map((r, i) => r.map((b, j) => b + (1 - mu) * (G[i]![j]! - b)));
      const upd = G.map((r, i) => r.map((g, j) => g + mu * (buf[i]![j]! - g)));
      const O = ns(upd, ABC, 5);
      const adjusted = lr * Math.sqrt(Math.max(1, 3 / 2));
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 2; j++) {
          const k = 2 * i + j;
          x[k] = x[k]! * (1 - lr * wd) - adjusted * O[i]![j]!;
        }
      for (const k of [6, 7]) x[k] = x[k]! - 0.1 * 2 * x[k]!;
      for (let k = 0; k < START.length; k++)
        expect(relativeError(path[t]![k]!, x[k]!), `step ${t + 1} p[${k}]`).toBeLessThan(1e-11);
    }
  });

  it('the default fallback is AdamW on the non-matrix coordinates, as if it ran on them alone', () => {
    const path = runSteps(muon({ layout: LAYOUT }), sumOfSquares(START.length), START, 3);
    const bias = runSteps(
      adamw({ learningRate: 1e-3, weightDecay: 0.1 }),
      sumOfSquares(2),
      START.slice(6),
      3,
    );
    for (let t = 0; t < 3; t++) {
      expect(path[t]![6]).toBe(bias[t]![0]);
      expect(path[t]![7]).toBe(bias[t]![1]);
    }
  });

  it('state holds momentum for the matrix coordinates only; a misplaced block is refused', () => {
    const state = muon({ layout: LAYOUT }).init(Float64Array.from(START));
    expect(state.momentumBuffer.length).toBe(6);
    expect(() =>
      muon({ layout: [{ name: 'w', offset: 0, rows: 4, cols: 4 }] }).init(new Float64Array(8)),
    ).toThrow('muon: layout block w ends at 16, past the 8 parameters');
  });

  it('state round-trips through JSON and continues bit-identically; buffers are updated in place', () => {
    const f = sumOfSquares(START.length);
    const run = (
      o: ReturnType<typeof muon>,
      state: ReturnType<ReturnType<typeof muon>['init']>,
      p: Float64Array,
      from: number,
      to: number,
    ) => {
      const g = new Float64Array(p.length);
      for (let t = from; t < to; t++) {
        f.loss(p, undefined, g);
        o.update(g, state, p, { step: t, loss: 0, overrides: {}, current: {} });
        for (let i = 0; i < p.length; i++) p[i]! += g[i]!;
      }
    };
    const whole = muon({ layout: LAYOUT, learningRate: 0.01 });
    const pw = Float64Array.from(START);
    const sw = whole.init(pw);
    const buffer = sw.momentumBuffer;
    run(whole, sw, pw, 0, 6);
    expect(sw.momentumBuffer).toBe(buffer);
    const first = muon({ layout: LAYOUT, learningRate: 0.01 });
    const p1 = Float64Array.from(START);
    const s1 = first.init(p1);
    run(first, s1, p1, 0, 3);
    const second = muon({ layout: LAYOUT, learningRate: 0.01 });
    const s2 = deserializeState(JSON.parse(JSON.stringify(serializeState(s1)))) as typeof s1;
    run(second, s2, p1, 3, 6);
    expect(Array.from(p1).every((v, i) => Object.is(v, pw[i]))).toBe(true);
  });

  it('converges on a matrix quadratic 1/2 ||W - C||_F^2 (4 x 3 block plus a bias) with a decaying rate', () => {
    const layout: LayoutBlock[] = [
      { name: 'w', offset: 0, rows: 4, cols: 3 },
      { name: 'b', offset: 12, rows: 1, cols: 3 },
    ];
    const target = Float64Array.from({ length: 15 }, (_, i) => Math.sin(i + 1));
    const f = {
      dimension: 15,
      loss(p: Float64Array, _b: undefined, g?: Float64Array) {
        let v = 0;
        for (let i = 0; i < 15; i++) {
          const d = p[i]! - target[i]!;
          v += 0.5 * d * d;
          if (g) g[i] = d;
        }
        return v;
      },
    };
    const o = muon({
      layout,
      learningRate: (t) => 0.05 * 0.995 ** t,
      weightDecay: 0,
      fallback: sgd({ learningRate: 0.1 }),
    });
    const path = runSteps(o, f, new Array(15).fill(0), 2000);
    const end = path.at(-1)!;
    const distance = Math.hypot(...end.map((v, i) => v - target[i]!));
    expect(distance).toBeLessThan(1e-3);
  });
});
