import { mul, sub } from '../ops/binary.js';
import { mean, sum } from '../ops/reduce.js';
import { logSoftmax } from '../ops/softmax.js';
import { abs, neg, relu, softplus } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { formatShape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';

// The losses of @downhill/models, written with tensor operations: each is the mean over elements
// (rows for softmax cross-entropy), and its gradient comes from the operations' derivatives.

function checkSameSize(op: string, p: Tensor, y: Tensor): void {
  if (p.size !== y.size) {
    throw new RangeError(
      `${op}: predictions have shape ${formatShape(p.shape)} and targets ${formatShape(y.shape)}; they need the same number of elements`,
    );
  }
}

/**
 * A tensor computed from others' values with no gradient (a mask, signs, one-hot targets): `fill`
 * writes it, now and again when a traced step is replayed with new targets.
 */
function derived(shape: readonly number[], fill: (out: Float64Array) => void): Tensor {
  const out = allocate(
    'float64',
    shape.reduce((a, b) => a * b, 1),
  ) as Float64Array;
  const forwardFn = (): void => fill(out);
  forwardFn();
  return new Tensor(out, shape, { forwardFn });
}

/** Targets viewed in the predictions' shape (a `rows x 1` column for a 1-D output ...). */
function aligned(op: string, p: Tensor, y: Tensor): Tensor {
  checkSameSize(op, p, y);
  return new Tensor(y.data, p.shape);
}

/** Mean squared error (1/n) sum (p - y)^2. */
export function mseLoss(predictions: Tensor, targets: Tensor): Tensor {
  const r = sub(predictions, aligned('mseLoss', predictions, targets));
  return mean(mul(r, r));
}

/** Mean absolute error (1/n) sum |p - y| (subgradient 0 where p = y). */
export function maeLoss(predictions: Tensor, targets: Tensor): Tensor {
  return mean(abs(sub(predictions, aligned('maeLoss', predictions, targets))));
}

/** Huber loss (Huber, 1964): r^2 / 2 where |r| <= delta (default 1), else delta (|r| - delta / 2); mean over elements. */
export function huberLoss(predictions: Tensor, targets: Tensor, options: { delta?: number } = {}): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta))
    throw new RangeError(`huberLoss: delta must be > 0, got ${delta}`);
  const r = sub(predictions, aligned('huberLoss', predictions, targets));
  const a = abs(r);
  const inside = derived(r.shape, (out) => {
    for (let i = 0; i < r.size; i++) out[i] = a.data[i]! <= delta ? 1 : 0;
  });
  return mean(where(inside, mul(mul(r, r), 0.5), mul(sub(a, delta / 2), delta)));
}

/** Binary cross-entropy from logits z and targets y in [0, 1]: softplus(z) - y z, mean over elements. */
export function bceWithLogitsLoss(logits: Tensor, targets: Tensor): Tensor {
  return mean(sub(softplus(logits), mul(aligned('bceWithLogitsLoss', logits, targets), logits)));
}

/** Hinge loss max(0, 1 - t z) for labels t in {-1, +1} (labels <= 0 read as -1, as Keras does); mean over elements. */
export function hingeLoss(predictions: Tensor, targets: Tensor): Tensor {
  const y = aligned('hingeLoss', predictions, targets);
  const signs = derived(y.shape, (out) => {
    for (let i = 0; i < y.size; i++) out[i] = y.data[i]! > 0 ? 1 : -1;
  });
  return mean(relu(sub(1, mul(signs, predictions))));
}

/**
 * Softmax cross-entropy from logits `[rows, k]`, mean over rows: -sum_j t_j log softmax(z)_j.
 * Targets are class indices (`[rows]` or `[rows, 1]`, values 0 .. k-1) or probability rows `[rows, k]`.
 */
export function softmaxCrossEntropyLoss(logits: Tensor, targets: Tensor): Tensor {
  if (logits.rank !== 2)
    throw new RangeError(
      `softmaxCrossEntropyLoss: logits must be [rows, classes], got ${formatShape(logits.shape)}`,
    );
  const [rows, k] = logits.shape as [number, number];
  let t = targets;
  if (targets.size === rows && !(k === 1 && targets.rank === 2 && targets.shape[1] === k)) {
    t = derived([rows, k], (oneHot) => {
      oneHot.fill(0);
      for (let r = 0; r < rows; r++) {
        const c = targets.data[r]!;
        if (!Number.isInteger(c) || c < 0 || c >= k)
          throw new RangeError(
            `softmaxCrossEntropyLoss: target of row ${r} is ${c}, not a class index in 0 .. ${k - 1}`,
          );
        oneHot[r * k + c] = 1;
      }
    });
  } else if (targets.size !== rows * k) {
    throw new RangeError(
      `softmaxCrossEntropyLoss: targets have shape ${formatShape(targets.shape)}; expected ${rows} class indices or [${rows}, ${k}] probabilities`,
    );
  } else t = new Tensor(targets.data, [rows, k]);
  return neg(mean(sum(mul(t, logSoftmax(logits, { axis: 1 })), { axis: 1 })));
}
