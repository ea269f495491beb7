import type { Description, Objective, Vector } from '@downhill/core';

/** A point of interest on a test surface. */
export interface KnownPoint {
  readonly point: readonly number[];
  readonly value: number;
  readonly kind: 'global-minimum' | 'local-minimum' | 'saddle';
}

/**
 * A closed-form loss surface with known critical points, for studying optimizers (no data:
 * `Objective<void>`, called with `undefined`). `minima` lists the known minima (global first);
 * `saddles` the known saddle points; `domain` a box per coordinate that shows the interesting
 * part (for contour plots); `start` a customary starting point.
 */
export interface TestFunction extends Objective<void> {
  readonly name: string;
  readonly dimension: number;
  readonly minima: readonly KnownPoint[];
  readonly saddles: readonly KnownPoint[];
  readonly domain: readonly (readonly [number, number])[];
  readonly start: readonly number[];
  describe(): Description;
}

export interface TestFunctionDefinition {
  readonly name: string;
  readonly dimension: number;
  /** Value at p; when g is given, also overwrite it with the gradient. */
  readonly evaluate: (p: Vector, g: Vector | undefined) => number;
  readonly minima: readonly KnownPoint[];
  readonly saddles?: readonly KnownPoint[];
  readonly domain: readonly (readonly [number, number])[];
  readonly start: readonly number[];
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link TestFunction} with argument checks around a closed-form `evaluate`. */
export function defineTestFunction(definition: TestFunctionDefinition): TestFunction {
  const { name, dimension, evaluate } = definition;
  return {
    name,
    dimension,
    minima: definition.minima,
    saddles: definition.saddles ?? [],
    domain: definition.domain,
    start: definition.start,
    loss(params, _batch, grad) {
      if (params.length !== dimension) {
        throw new RangeError(`${name}: params has length ${params.length}, expected ${dimension}`);
      }
      if (grad !== undefined && grad.length !== dimension) {
        throw new RangeError(`${name}: grad has length ${grad.length}, expected ${dimension}`);
      }
      return evaluate(params, grad);
    },
    describe: () => ({ name, dimension, ...definition.parameters }),
  };
}

export function checkDimension(name: string, dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new RangeError(`${name}: dimension must be an integer >= 1, got ${dimension}`);
  }
}
