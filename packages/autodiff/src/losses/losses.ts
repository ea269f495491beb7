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
  const inside = allocate('float64', r.size);
  for (let i = 0; i < r.size; i++) inside[i] = a.data[i]! <= delta ? 1 : 0;
  return mean(where(new Tensor(inside, r.shape), mul(mul(r, r), 0.5), mul(sub(a, delta / 2), delta)));
}

/** Binary cross-entropy from logits z and targets y in [0, 1]: softplus(z) - y z, mean over elements. */
export function bceWithLogitsLoss(logits: Tensor, targets: Tensor): Tensor {
  return mean(sub(softplus(logits), mul(aligned('bceWithLogitsLoss', logits, targets), logits)));
}

/** Hinge loss max(0, 1 - t z) for labels t in {-1, +1} (labels <= 0 read as -1, as Keras does); mean over elements. */
export function hingeLoss(predictions: Tensor, targets: Tensor): Tensor {
  const y = aligned('hingeLoss', predictions, targets);
  const signs = allocate('float64', y.size);
  for (let i = 0; i < y.size; i++) signs[i] = y.data[i]! > 0 ? 1 : -1;
  return mean(relu(sub(1, mul(new Tensor(signs, y.shape), predictions))));
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
    const oneHot = allocate('float64', rows * k);
    for (let r = 0; r < rows; r++) {
      const c = targets.data[r]!;
      if (!Number.isInteger(c) || c < 0 || c >= k)
        throw new RangeError(
          `softmaxCrossEntropyLoss: target of row ${r} is ${c}, not a class index in 0 .. ${k - 1}`,
        );
      oneHot[r * k + c] = 1;
    }
    t = new Tensor(oneHot, [rows, k]);
  } else if (targets.size !== rows * k) {
    throw new RangeError(
      `softmaxCrossEntropyLoss: targets have shape ${formatShape(targets.shape)}; expected ${rows} class indices or [${rows}, ${k}] probabilities`,
    );
  } else t = new Tensor(targets.data, [rows, k]);
  return neg(mean(sum(mul(t, logSoftmax(logits, { axis: 1 })), { axis: 1 })));
}
