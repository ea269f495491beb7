import type { Optimizer } from '@downhill/core';
import { type LayoutBlock, type LayoutSegment, segmentCache } from './parameter-layout.js';
import { checkNonNegative, checkThat } from './validate.js';

/** Options of {@link scaleByFactoredRms}. Defaults are PyTorch's `torch.optim.Adafactor` (2.5). */
export interface FactoredRmsOptions {
  /** Named, shaped blocks (a model's `layout`): blocks with rows and cols > 1 are factored. */
  readonly layout?: readonly LayoutBlock[];
  /** tau: the second-moment decay is beta2_t = 1 - t^tau. Default -0.8. */
  readonly beta2Decay?: number;
  /** eps1: floor of sqrt(V) and of the row factors' mean. Default 2^-52 (float64 machine epsilon). */
  readonly eps?: number;
  /** Clipping threshold d: the update's RMS over a block is at most d. Default 1. */
  readonly clipThreshold?: number;
}

/**
 * State of {@link scaleByFactoredRms}: the row and column factors of every factored block, one
 * after the other in layout order, and the full second moment of the other coordinates (in their
 * order). For an r x c block the state is r + c numbers instead of r c.
 */
export interface FactoredRmsState {
  count: number;
  rowFactors: Float64Array;
  colFactors: Float64Array;
  variance: Float64Array;
}

const factored = (s: LayoutSegment) => s.rows > 1 && s.cols > 1;

/**
 * Adafactor's preconditioner (Shazeer & Stern, 2018, "Adafactor: Adaptive Learning Rates with
 * Sublinear Memory Cost"), as PyTorch 2.5's `torch.optim.Adafactor` computes it, per layout block:
 *
 *   beta2_t = 1 - t^tau;  an r x c block keeps row means R (r) and column means C (c) of g^2:
 *   R_t = beta2_t R + (1 - beta2_t) mean_j g_ij^2,   C_t = beta2_t C + (1 - beta2_t) mean_i g_ij^2,
 *   V_ij = R_i C_j / max(mean_i R_i, eps1);   other blocks: V = beta2_t V + (1 - beta2_t) g^2;
 *   U = g / max(sqrt(V), eps1),   u = U / max(1, RMS_block(U) / d).
 *
 * PyTorch applies eps1 to V and the row mean rather than adding it to g^2 as the paper does (its
 * documentation explains why); this follows PyTorch. Means instead of the paper's sums: the same
 * V. Follow with {@link scaleByRelativeStepSize}.
 */
export function scaleByFactoredRms(options: FactoredRmsOptions = {}): Optimizer<FactoredRmsState> {
  const beta2Decay = options.beta2Decay ?? -0.8;
  const eps = options.eps ?? Number.EPSILON;
  const clip = options.clipThreshold ?? 1;
  checkThat('adafactor', 'beta2Decay', beta2Decay <= 0, '<= 0', beta2Decay);
  checkNonNegative('adafactor', 'eps', eps);
  checkThat('adafactor', 'clipThreshold', clip >= 1, '>= 1', clip);
  const segments = segmentCache('adafactor', options.layout);
  const eps2 = eps * eps;
  return {
    name: 'scaleByFactoredRms',
    settable: [],
    init(params) {
      let rows = 0;
      let cols = 0;
      let plain = 0;
      for (const s of segments(params.length)) {
        if (factored(s)) {
          rows += s.rows;
          cols += s.cols;
        } else plain += s.end - s.start;
      }
      return {
        count: 0,
        rowFactors: new Float64Array(rows),
        colFactors: new Float64Array(cols),
        variance: new Float64Array(plain),
      };
    },
    update(updates, state) {
      const t = ++state.count;
      const w = t ** beta2Decay; // 1 - beta2_t: 1 at the first step
      const R = state.rowFactors;
      const C = state.colFactors;
      const V = state.variance;
      let ro = 0;
      let co = 0;
      let vo = 0;
      for (const s of segments(updates.length)) {
        const n = s.end - s.start;
        let sumU2 = 0;
        if (factored(s)) {
          const { rows, cols, start } = s;
          for (let j = 0; j < cols; j++) C[co + j]! *= 1 - w;
          let rowMean = 0;
          for (let i = 0; i < rows; i++) {
            let sq = 0;
            const at = start + i * cols;
            for (let j = 0; j < cols; j++) {
              const g2 = updates[at + j]! * updates[at + j]!;
              sq += g2;
              C[co + j]! += (w * g2) / rows;
            }
            const r = R[ro + i]! + w * (sq / cols - R[ro + i]!);
            R[ro + i] = r;
            rowMean += r;
          }
          const scale = 1 / Math.max(rowMean / rows, eps);
          for (let i = 0; i < rows; i++) {
            const ri = R[ro + i]! * scale;
            const at = start + i * cols;
            for (let j = 0; j < cols; j++) {
              const u = updates[at + j]! / Math.sqrt(Math.max(ri * C[co + j]!, eps2));
              updates[at + j] = u;
              sumU2 += u * u;
            }
          }
          ro += rows;
          co += cols;
        } else {
          for (let i = s.start, k = vo; i < s.end; i++, k++) {
            const g = updates[i]!;
            const v = V[k]! + w * (g * g - V[k]!);
            V[k] = v;
            const u = g / Math.sqrt(Math.max(v, eps2));
            updates[i] = u;
            sumU2 += u * u;
          }
          vo += n;
        }
        const denom = Math.max(1, Math.sqrt(sumU2 / n) / clip);
        if (denom !== 1) for (let i = s.start; i < s.end; i++) updates[i]! /= denom;
      }
    },
    describe: () => ({ name: 'scaleByFactoredRms', beta2Decay, eps, clipThreshold: clip }),
  };
}
