import { isActive, type SpaceParam } from './check-space.js';
import type { Config, ParamValue } from './domain.js';
import type { Sampler } from './sampler.js';

export interface GridSamplerOptions {
  /**
   * Points per numeric range: one count for all, or per parameter. Real ranges need one (they
   * have no natural grid); integers without one take every integer in range.
   */
  readonly steps?: number | Readonly<Record<string, number>>;
}

/** Integer ranges wider than this need `steps`: a grid is meant to be trained in full. */
const MAX_INTEGER_POINTS = 10_000;

function gridValues(param: SpaceParam, steps: GridSamplerOptions['steps']): readonly ParamValue[] {
  const { name, domain } = param;
  const n = typeof steps === 'number' ? steps : steps?.[name];
  if (n !== undefined && !(Number.isInteger(n) && n >= 2))
    throw new RangeError(`gridSampler: steps for "${name}" must be an integer >= 2, got ${n}`);
  const spaced = (low: number, high: number, log: boolean, count: number): number[] => {
    const a = log ? Math.log(low) : low;
    const b = log ? Math.log(high) : high;
    const out: number[] = [];
    for (let k = 0; k < count; k++) {
      // The end points exactly, not low + (high - low) * 1 with its rounding.
      const t = k === count - 1 ? b : a + ((b - a) * k) / (count - 1);
      out.push(log ? (k === 0 ? low : k === count - 1 ? high : Math.exp(t)) : t);
    }
    return out;
  };
  switch (domain.kind) {
    case 'categorical':
      return domain.choices;
    case 'fixed':
      return [domain.value];
    case 'uniform':
    case 'logUniform':
      if (n === undefined)
        throw new RangeError(
          `gridSampler: "${name}" is a ${domain.kind} range: give its number of grid points in steps`,
        );
      return spaced(domain.low, domain.high, domain.kind === 'logUniform', n);
    case 'integer': {
      if (n === undefined) {
        const count = domain.high - domain.low + 1;
        if (count > MAX_INTEGER_POINTS)
          throw new RangeError(
            `gridSampler: "${name}" has ${count} integers: give its number of grid points in steps`,
          );
        return Array.from({ length: count }, (_, k) => domain.low + k);
      }
      // Rounding can make neighbours equal on a narrow range: keep each integer once.
      return [...new Set(spaced(domain.low, domain.high, domain.log, n).map(Math.round))];
    }
  }
}

/** Every combination, in declaration order (the last parameter varies fastest); conditional parameters only where they exist. */
export function gridPoints(
  space: readonly SpaceParam[],
  steps?: GridSamplerOptions['steps'],
): readonly Config[] {
  const values = space.map((p) => gridValues(p, steps));
  let partial: Record<string, ParamValue>[] = [{}];
  space.forEach((param, i) => {
    const next: Record<string, ParamValue>[] = [];
    for (const config of partial) {
      if (!isActive(param, config)) next.push(config);
      else for (const v of values[i]!) next.push({ ...config, [param.name]: v });
    }
    partial = next;
  });
  return partial;
}

/**
 * Grid search: trial i trains the i-th grid point; the sampler is exhausted after the last one,
 * which ends the sweep even when it asked for more trials.
 */
export function gridSampler(options: GridSamplerOptions = {}): Sampler {
  const cache = new WeakMap<readonly SpaceParam[], readonly Config[]>();
  return {
    name: 'grid',
    suggest({ space, index }) {
      let points = cache.get(space);
      if (points === undefined) {
        points = gridPoints(space, options.steps);
        cache.set(space, points);
      }
      return points[index];
    },
  };
}
