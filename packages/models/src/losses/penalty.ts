import type { Description, Vector } from '@downhill/core';

/**
 * A regularisation term added to the cost over a range of parameters (models apply it to their
 * weights, not their biases). `apply` returns the term and, when `gradient` is given, ADDS its
 * gradient there (the data loss has already written it).
 */
export interface Penalty {
  readonly name: string;
  readonly strength: number;
  apply(params: Vector, start: number, end: number, gradient?: Vector): number;
  describe(): Description;
}

function checkStrength(name: string, strength: number): void {
  if (!(strength >= 0) || !Number.isFinite(strength)) {
    throw new RangeError(`${name}: strength must be a finite number >= 0, got ${strength}`);
  }
}

/**
 * L2 penalty (ridge, weight decay): R(w) = (lambda / 2) sum_i w_i^2, dR/dw_i = lambda w_i.
 * The 1/2 makes the gradient exactly `lambda w`, the form weight decay uses.
 */
export function l2Penalty(strength: number): Penalty {
  checkStrength('l2Penalty', strength);
  return {
    name: 'l2',
    strength,
    apply(params, start, end, gradient) {
      let s = 0;
      for (let i = start; i < end; i++) {
        const w = params[i]!;
        s += w * w;
        if (gradient !== undefined) gradient[i]! += strength * w;
      }
      return 0.5 * strength * s;
    },
    describe: () => ({ name: 'l2', strength }),
  };
}

/**
 * L1 penalty (lasso): R(w) = lambda sum_i |w_i|, dR/dw_i = lambda sign(w_i) (0 at w_i = 0).
 * Drives small weights to exactly zero under proximal methods; plain descent only shrinks them.
 */
export function l1Penalty(strength: number): Penalty {
  checkStrength('l1Penalty', strength);
  return {
    name: 'l1',
    strength,
    apply(params, start, end, gradient) {
      let s = 0;
      for (let i = start; i < end; i++) {
        const w = params[i]!;
        s += Math.abs(w);
        if (gradient !== undefined) gradient[i]! += w > 0 ? strength : w < 0 ? -strength : 0;
      }
      return strength * s;
    },
    describe: () => ({ name: 'l1', strength }),
  };
}
