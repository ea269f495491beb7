/** A rectangle of the 2-parameter plane. */
export interface PlaneBounds {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

/**
 * Loss values on a regular grid over `bounds`: `values[i + j * nx]` is the loss at
 * `x = x0 + i (x1 - x0) / (nx - 1)`, `y = y0 + j (y1 - y0) / (ny - 1)` (row j is one y).
 */
export interface LossGrid extends PlaneBounds {
  readonly nx: number;
  readonly ny: number;
  readonly values: ArrayLike<number>;
}

/** Samples `loss` on an `nx` by `ny` grid over `bounds`. */
export function sampleLossGrid(
  loss: (x: number, y: number) => number,
  options: { readonly bounds: PlaneBounds; readonly nx?: number; readonly ny?: number },
): LossGrid {
  const nx = options.nx ?? 120;
  const ny = options.ny ?? 120;
  if (!(Number.isInteger(nx) && nx >= 2 && Number.isInteger(ny) && ny >= 2))
    throw new RangeError(`sampleLossGrid: nx and ny must be integers >= 2, got ${nx} x ${ny}`);
  const { x, y } = options.bounds;
  if (!(x[1] > x[0] && y[1] > y[0]))
    throw new RangeError(`sampleLossGrid: bounds must be non-empty, got x [${x}] y [${y}]`);
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const yj = y[0] + ((y[1] - y[0]) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) values[i + j * nx] = loss(x[0] + ((x[1] - x[0]) * i) / (nx - 1), yj);
  }
  return { x, y, nx, ny, values };
}

/**
 * Contour levels for a loss surface: geometric between the smallest and largest finite values when
 * they span more than two decades (so the valley of a Rosenbrock function gets as many lines as its
 * walls), evenly spaced otherwise.
 */
export function contourLevels(values: ArrayLike<number>, count: number): number[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return [];
  const levels: number[] = [];
  if (min > 0 && max / min > 100) {
    const ratio = (max / min) ** (1 / count);
    for (let k = 1; k < count; k++) levels.push(min * ratio ** k);
  } else if (min <= 0 && max > 0 && max > 100 * Math.max(1e-12, -min || 1e-12)) {
    // Shift so the surface's minimum sits just above zero, then space geometrically.
    const floor = min - (max - min) * 1e-6;
    const ratio = ((max - floor) / (min - floor)) ** (1 / count);
    for (let k = 1; k < count; k++) levels.push(floor + (min - floor) * ratio ** k);
  } else {
    for (let k = 1; k < count; k++) levels.push(min + ((max - min) * k) / count);
  }
  return levels;
}

/** `bounds` grown to contain (x, y) with a 20 % margin; the same object when it already does. */
export function includePoint(bounds: PlaneBounds | undefined, x: number, y: number): PlaneBounds {
  if (bounds && x >= bounds.x[0] && x <= bounds.x[1] && y >= bounds.y[0] && y <= bounds.y[1]) return bounds;
  const x0 = Math.min(bounds?.x[0] ?? x, x);
  const x1 = Math.max(bounds?.x[1] ?? x, x);
  const y0 = Math.min(bounds?.y[0] ?? y, y);
  const y1 = Math.max(bounds?.y[1] ?? y, y);
  const mx = Math.max((x1 - x0) * 0.2, 0.5);
  const my = Math.max((y1 - y0) * 0.2, 0.5);
  return { x: [x0 - mx, x1 + mx], y: [y0 - my, y1 + my] };
}
