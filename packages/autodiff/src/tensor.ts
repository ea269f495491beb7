import type { Matrix } from '@downhill/core';
import { checkShape, formatShape, type Shape, sizeOf } from './shape.js';

/** Element type of a tensor. */
export type DType = 'float32' | 'float64';

/** Contiguous row-major storage of a tensor. */
export type TensorData = Float32Array | Float64Array;

/** Receives the gradient of the loss with respect to a tensor and adds its parents' shares. */
export type BackwardFn = (grad: TensorData) => void;

/**
 * Recomputes a tensor's values in place from its inputs' current values (the operation's forward
 * as it ran, buffers and all), so a traced step can be replayed without building the tape again.
 */
export type ForwardFn = () => void;

/** Tensors made while a step is traced (see `recordTensors`), in the order they were made. */
let recording: Tensor[] | undefined;

/** Runs `f`, collecting every tensor it makes into `into` (creation order is a valid forward order). */
export function recordTensors<T>(into: Tensor[], f: () => T): T {
  const outer = recording;
  recording = into;
  try {
    return f();
  } finally {
    recording = outer;
  }
}

/**
 * An n-dimensional array in contiguous row-major storage with an optional place on the tape:
 * a tensor made by an operation from inputs that need gradients remembers those inputs
 * (`parents`) and the closure that pushes its gradient back to them (`backwardFn`), written
 * beside the forward in the operation's file.
 */
export class Tensor {
  readonly data: TensorData;
  readonly shape: Shape;
  readonly size: number;
  readonly dtype: DType;
  /** Whether gradients flow to this tensor (a parameter, or computed from one). */
  readonly requiresGrad: boolean;
  /** Gradient of the loss with respect to this tensor, filled by {@link backward}. */
  grad: TensorData | undefined;
  readonly parents: readonly Tensor[];
  readonly backwardFn: BackwardFn | undefined;
  /** The operation's forward, to replay it (see {@link ForwardFn}); undefined for leaves and views. */
  readonly forwardFn: ForwardFn | undefined;

  constructor(
    data: TensorData,
    shape: Shape,
    options: {
      requiresGrad?: boolean;
      parents?: readonly Tensor[];
      backwardFn?: BackwardFn;
      forwardFn?: ForwardFn;
    } = {},
  ) {
    checkShape('tensor', shape);
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new RangeError(
        `tensor: data has ${data.length} elements, shape ${formatShape(shape)} needs ${size}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.dtype = data instanceof Float32Array ? 'float32' : 'float64';
    this.parents = options.parents ?? [];
    this.backwardFn = options.backwardFn;
    this.forwardFn = options.forwardFn;
    this.requiresGrad = options.requiresGrad ?? this.parents.some((p) => p.requiresGrad);
    this.grad = undefined;
    recording?.push(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(`item: the tensor has shape ${formatShape(this.shape)}, not one element`);
    return this.data[0]!;
  }

  /** Values as nested arrays (for printing and tests). */
  toArray(): unknown {
    const build = (axis: number, offset: number): unknown => {
      if (axis === this.shape.length) return this.data[offset];
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }
}

export function allocate(dtype: DType, length: number): TensorData {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** Options of {@link tensor}. */
export interface TensorOptions {
  /** Default: `[data.length]` for arrays, `[]` for a number. */
  readonly shape?: Shape;
  /** Default 'float64' (a typed array given as data keeps its own type). */
  readonly dtype?: DType;
  readonly requiresGrad?: boolean;
}

/**
 * A tensor from values. A Float32Array or Float64Array of the requested type is used as storage
 * without a copy (a view of a flat parameter vector stays a view); anything else is copied.
 */
export function tensor(values: number | ArrayLike<number>, options: TensorOptions = {}): Tensor {
  if (typeof values === 'number') {
    const data = allocate(options.dtype ?? 'float64', 1);
    data[0] = values;
    return new Tensor(data, options.shape ?? [], { requiresGrad: options.requiresGrad ?? false });
  }
  const typed = values instanceof Float32Array || values instanceof Float64Array;
  const dtype = options.dtype ?? (values instanceof Float32Array ? 'float32' : 'float64');
  const data =
    typed && values instanceof Float32Array === (dtype === 'float32')
      ? values
      : Float64Array.from(values as ArrayLike<number>);
  const storage = dtype === 'float32' && !(data instanceof Float32Array) ? Float32Array.from(data) : data;
  return new Tensor(storage, options.shape ?? [values.length], {
    requiresGrad: options.requiresGrad ?? false,
  });
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options: { dtype?: DType } = {}): Tensor {
  checkShape('zeros', shape);
  return new Tensor(allocate(options.dtype ?? 'float64', sizeOf(shape)), shape);
}

/** A `rows x cols` tensor over a core Matrix's storage (no copy); it needs no gradient. */
export function fromMatrix(m: Matrix): Tensor {
  const data = m.data.length === m.rows * m.cols ? m.data : m.data.subarray(0, m.rows * m.cols);
  return new Tensor(data, [m.rows, m.cols]);
}

/** The gradient buffer of `t`, created (zeroed) on first use. */
export function gradOf(t: Tensor): TensorData {
  if (t.grad === undefined) t.grad = allocate(t.dtype, t.size);
  return t.grad;
}
