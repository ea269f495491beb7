/**
 * Debiased exponential moving average exactly as TensorBoard's scalar dashboard computes it:
 * `last = last * w + (1 - w) * y` over the finite points only, divided by `1 - w^k` (k = finite
 * points so far) to remove the bias towards the initial 0; non-finite points are passed through
 * unchanged and do not advance the average, and a constant series is returned as it is.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  checkWeight(weight, 'emaSmooth');
  const out = new Array<number>(values.length);
  const first = values[0];
  let constant = true;
  for (let i = 1; i < values.length; i++) {
    if (values[i] !== first) {
      constant = false;
      break;
    }
  }
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    if (constant || !Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    count++;
    out[i] = weight === 1 ? last : last / (1 - weight ** count);
  }
  return out;
}

export function checkWeight(weight: number, where: string): void {
  if (!(weight >= 0 && weight <= 1))
    throw new RangeError(`${where}: weight must be in [0, 1], got ${weight}`);
}
