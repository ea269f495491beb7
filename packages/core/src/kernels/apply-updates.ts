/**
 * `params += updates` (as `optax.apply_updates`) in one pass that also checks the result: when a
 * sum is not finite, the parameters written so far are put back and it returns false, so a
 * diverging update leaves the last finite parameters in place. `updates` is overwritten with the
 * previous parameters on the way (the run loop refills it with the next gradient anyway): one
 * pass instead of a check pass and an update pass over the parameters.
 */
export function applyUpdatesIfFinite(params: Float64Array, updates: Float64Array): boolean {
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i]!;
    const v = p + updates[i]!;
    // v - v is 0 for every finite v and NaN for NaN and +-Infinity.
    if (v - v !== 0) {
      for (let j = 0; j < i; j++) params[j] = updates[j]!;
      return false;
    }
    updates[i] = p;
    params[i] = v;
  }
  return true;
}
