import type { LeafDomain, ParamValue } from './domain.js';

/** A domain with a numeric range. */
export type NumericalDomain = Exclude<LeafDomain, { kind: 'categorical' | 'fixed' }>;

/** A domain's search scale: where the Parzen kernels live, and the way back to a value. */
export interface SearchScale {
  readonly low: number;
  readonly high: number;
  readonly cell?: (x: number) => readonly [number, number];
  forward(v: ParamValue): number;
  back(t: number): ParamValue;
}

/**
 * Where TPE's kernels for a numerical domain live: the log scale for log domains; integers
 * widened by half a step each side, each integer owning the interval that rounds to it.
 */
export function searchScale(domain: NumericalDomain): SearchScale {
  const clamp = (v: number) => Math.min(domain.high, Math.max(domain.low, v));
  switch (domain.kind) {
    case 'uniform':
      return { low: domain.low, high: domain.high, forward: (v) => v as number, back: clamp };
    case 'logUniform':
      return {
        low: Math.log(domain.low),
        high: Math.log(domain.high),
        forward: (v) => Math.log(v as number),
        back: (t) => clamp(Math.exp(t)),
      };
    case 'integer':
      // Integer v owns [v - 1/2, v + 1/2] (on the log scale, its logarithm), as in Optuna.
      return domain.log
        ? {
            low: Math.log(domain.low - 0.5),
            high: Math.log(domain.high + 0.5),
            cell: (t) => {
              const v = Math.round(Math.exp(t));
              return [Math.log(v - 0.5), Math.log(v + 0.5)];
            },
            forward: (v) => Math.log(v as number),
            back: (t) => clamp(Math.round(Math.exp(t))),
          }
        : {
            low: domain.low - 0.5,
            high: domain.high + 0.5,
            cell: (t) => [t - 0.5, t + 0.5],
            forward: (v) => v as number,
            back: (t) => clamp(Math.round(t)),
          };
  }
}
