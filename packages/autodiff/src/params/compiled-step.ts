import { type Batch, type KernelSet, type Matrix, type MatrixData, matrix } from '@downhill/core';
import { backward, topologicalOrder } from '../backward.js';
import { withKernels } from '../ops/default-kernels.js';
import { formatShape } from '../shape.js';
import { type ForwardFn, recordTensors, Tensor, type TensorData } from '../tensor.js';
import type { TensorBlock } from './parameter-layout.js';
import type { Params } from './value-and-grad.js';

/** The loss of an objective, as {@link compiledLoss} replays it. */
export type LossOfBatch = (params: Params, batch: Batch, mode: 'train' | 'evaluate') => Tensor;

/** One traced step for one batch shape and mode: its own buffers and the operations to rerun. */
interface Plan {
  readonly train: boolean;
  readonly rows: number;
  readonly xCols: number;
  readonly yRows: number;
  readonly yCols: number;
  readonly xFloat32: boolean;
  readonly yFloat32: boolean;
  readonly params: Float64Array;
  readonly grad: Float64Array;
  readonly x: MatrixData;
  readonly y: MatrixData;
  readonly root: Tensor;
  /** Every operation's forward, in the order the trace ran them. */
  readonly forwards: readonly ForwardFn[];
  /** Nodes that need gradients, parents before children (backward runs it from the end). */
  readonly order: readonly Tensor[];
  /** Gradient buffers of the intermediate nodes, zeroed before each backward pass. */
  readonly grads: readonly TensorData[];
}

/** Plans kept per objective (batch shapes x modes); the oldest is dropped beyond this. */
const MAX_PLANS = 8;

function copyOf(m: Matrix): MatrixData {
  const n = m.rows * m.cols;
  const out = m.data instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m.data[i]!;
  return out;
}

function copyInto(target: MatrixData, m: Matrix): void {
  const src = m.data;
  for (let i = 0; i < target.length; i++) target[i] = src[i]!;
}

function isMatrix(m: Partial<Matrix> | undefined): boolean {
  return (
    m !== undefined &&
    typeof m.rows === 'number' &&
    typeof m.cols === 'number' &&
    (m.data instanceof Float64Array || m.data instanceof Float32Array)
  );
}

function isBatch(batch: unknown): batch is Batch {
  const b = batch as { x?: Partial<Matrix>; y?: Partial<Matrix> } | null;
  return b !== null && typeof b === 'object' && isMatrix(b.x) && isMatrix(b.y);
}

/**
 * A compiled loss: the first call for a batch shape and mode traces the loss (runs it eagerly,
 * recording every tensor it makes) into a plan that owns its buffers (a copy of the parameters,
 * of the batch, every intermediate value and gradient); later calls copy the parameters and the
 * batch in and rerun the recorded operations' forwards and backwards over the same buffers, so a
 * step builds no tape and allocates nothing. The operations run the same code on the same values
 * as eager mode, so both give the same numbers bit for bit. A new batch shape (the last, smaller
 * batch) gets a plan of its own.
 *
 * As with `jax.jit`, the loss must be a function of the parameters and the batch through this
 * package's operations: a tensor made from values computed outside them (a mask built in a loop
 * over the batch) cannot be recomputed, and the trace refuses it. Control flow in JavaScript that
 * depends on values is frozen as traced.
 */
export function compiledLoss(options: {
  readonly name: string;
  readonly layout: readonly TensorBlock[];
  readonly dimension: number;
  readonly loss: LossOfBatch;
  readonly kernels?: KernelSet;
}): (params: Float64Array, batch: unknown, grad: Float64Array | undefined) => number {
  const { name, layout, dimension, loss } = options;
  const plans: Plan[] = [];

  function trace(params: Float64Array, batch: Batch, train: boolean, grad: Float64Array | undefined): number {
    const p = Float64Array.from(params);
    const g = new Float64Array(dimension);
    const x = copyOf(batch.x);
    const y = copyOf(batch.y);
    const leaves: Record<string, Tensor> = {};
    for (const b of layout) {
      const leaf = new Tensor(p.subarray(b.offset, b.offset + b.size), b.shape, { requiresGrad: train });
      if (train) leaf.grad = g.subarray(b.offset, b.offset + b.size);
      leaves[b.name] = leaf;
    }
    const own: Batch = {
      x: matrix(x, batch.x.rows, batch.x.cols),
      y: matrix(y, batch.y.rows, batch.y.cols),
    };
    const made: Tensor[] = [];
    // The operations take their kernels when they are made, so the plan replays with the same set.
    const root = recordTensors(made, () =>
      withKernels(options.kernels, () => loss(leaves, own, train ? 'train' : 'evaluate')),
    );
    if (!(root instanceof Tensor) || root.size !== 1) {
      throw new RangeError(
        `${name}: loss must return a one-element tensor, got ${root instanceof Tensor ? `shape ${formatShape(root.shape)}` : typeof root}`,
      );
    }
    // Storage whose values a replay keeps current: the plan's copies and every operation's output.
    const live = new Set<ArrayBufferLike>([p.buffer, x.buffer, y.buffer]);
    const forwards: ForwardFn[] = [];
    for (const t of made) {
      if (t.forwardFn !== undefined) {
        forwards.push(t.forwardFn);
        live.add(t.data.buffer);
      } else if (live.has(t.data.buffer)) {
        // A view (reshape, a batch matrix, targets in another shape): it reads live storage.
      } else if (t.parents.length === 0 && t.size <= 1) {
        // A scalar constant (a number operand).
      } else {
        throw new RangeError(
          `${name}: compile: the loss made a tensor of shape ${formatShape(t.shape)} outside this package's operations, so a replayed step could not recompute it; build it with the operations (or leave compile off)`,
        );
      }
    }
    let order: Tensor[] = [];
    let grads: TensorData[] = [];
    if (train) {
      backward(root);
      const leafSet = new Set(Object.values(leaves));
      order = topologicalOrder(root).filter((t) => t.backwardFn !== undefined || leafSet.has(t));
      grads = order.filter((t) => !leafSet.has(t) && t.grad !== undefined).map((t) => t.grad!);
      grad?.set(g);
    }
    if (plans.length >= MAX_PLANS) plans.shift();
    plans.push({
      train,
      rows: batch.x.rows,
      xCols: batch.x.cols,
      yRows: batch.y.rows,
      yCols: batch.y.cols,
      xFloat32: batch.x.data instanceof Float32Array,
      yFloat32: batch.y.data instanceof Float32Array,
      params: p,
      grad: g,
      x,
      y,
      root,
      forwards,
      order,
      grads,
    });
    return root.data[0]!;
  }

  function find(batch: Batch, train: boolean): Plan | undefined {
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      if (
        plan.train === train &&
        plan.rows === batch.x.rows &&
        plan.xCols === batch.x.cols &&
        plan.yRows === batch.y.rows &&
        plan.yCols === batch.y.cols &&
        plan.xFloat32 === batch.x.data instanceof Float32Array &&
        plan.yFloat32 === batch.y.data instanceof Float32Array
      )
        return plan;
    }
    return undefined;
  }

  return (params, batch, grad) => {
    if (!isBatch(batch))
      throw new TypeError(`${name}: compile needs batches of { x, y } matrices (a core Batch)`);
    const train = grad !== undefined;
    const plan = find(batch, train);
    if (plan === undefined) return trace(params, batch, train, grad);
    plan.params.set(params);
    copyInto(plan.x, batch.x);
    copyInto(plan.y, batch.y);
    const { forwards, order, grads, root } = plan;
    for (let i = 0; i < forwards.length; i++) forwards[i]!();
    if (grad !== undefined) {
      plan.grad.fill(0);
      for (let i = 0; i < grads.length; i++) grads[i]!.fill(0);
      if (root.grad !== undefined) root.grad[0] = 1;
      for (let i = order.length - 1; i >= 0; i--) {
        const node = order[i]!;
        if (node.backwardFn !== undefined && node.grad !== undefined) node.backwardFn(node.grad);
      }
      grad.set(plan.grad);
    }
    return root.data[0]!;
  };
}
