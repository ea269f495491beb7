import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyUpdatesIfFinite } from './apply-updates.js';

describe('applyUpdatesIfFinite', () => {
  it('adds the updates exactly as a plain p + u loop does (oracle)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, min: -1e300, max: 1e300 }),
            fc.double({ noNaN: true, min: -1e300, max: 1e300 }),
          ),
          { minLength: 0, maxLength: 40 },
        ),
        (pairs) => {
          const params = Float64Array.from(pairs, ([p]) => p);
          const updates = Float64Array.from(pairs, ([, u]) => u);
          const want = Float64Array.from(pairs, ([p, u]) => p + u);
          expect(applyUpdatesIfFinite(params, updates)).toBe(true);
          expect(params).toEqual(want);
        },
      ),
    );
  });

  it('leaves every parameter as it was when any sum is NaN or infinite, wherever it sits', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (let at = 0; at < 7; at++) {
        const params = Float64Array.from({ length: 7 }, (_, i) => i + 0.5);
        const before = params.slice();
        const updates = Float64Array.from({ length: 7 }, () => 0.25);
        updates[at] = bad;
        expect(applyUpdatesIfFinite(params, updates)).toBe(false);
        expect(params).toEqual(before);
      }
    }
    // Finite terms whose sum overflows count as non-finite too.
    const params = Float64Array.of(1, Number.MAX_VALUE);
    expect(applyUpdatesIfFinite(params, Float64Array.of(1, Number.MAX_VALUE))).toBe(false);
    expect(params).toEqual(Float64Array.of(1, Number.MAX_VALUE));
  });
});
