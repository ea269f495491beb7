import { add } from '../ops/binary.js';
import { matmul } from '../ops/matmul.js';
import { type Initializer, torchDefaultInit } from '../params/initializers.js';
import { formatShape } from '../shape.js';
import type { Module, ModuleParameter } from './module.js';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Default true. */
  readonly bias?: boolean;
  /** Default PyTorch's nn.Linear: U(-1/sqrt(inputs), 1/sqrt(inputs)). */
  readonly weightInit?: Initializer;
  /** Default PyTorch's nn.Linear: U(-1/sqrt(inputs), 1/sqrt(inputs)). */
  readonly biasInit?: Initializer;
}

/**
 * A fully connected layer, PyTorch's `nn.Linear(inputs, outputs)`: y = x W^T + b with `weight`
 * of shape [outputs, inputs] and `bias` [outputs]; x is [..., inputs].
 */
export function dense(inputs: number, outputs: number, options: DenseOptions = {}): Module {
  for (const [field, v] of [
    ['inputs', inputs],
    ['outputs', outputs],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`dense: ${field} must be an integer >= 1, got ${v}`);
  }
  const init = torchDefaultInit(inputs);
  const parameters: ModuleParameter[] = [
    { name: 'weight', shape: [outputs, inputs], kind: 'weight', init: options.weightInit ?? init },
  ];
  const bias = options.bias ?? true;
  if (bias) parameters.push({ name: 'bias', shape: [outputs], kind: 'bias', init: options.biasInit ?? init });
  return {
    parameters,
    forward(params, x) {
      if (x.shape[x.rank - 1] !== inputs)
        throw new RangeError(
          `dense(${inputs}, ${outputs}): input has shape ${formatShape(x.shape)}, its last axis must be ${inputs}`,
        );
      const y = matmul(x, params('weight'), { transposeB: true });
      return bias ? add(y, params('bias')) : y;
    },
    describe: () => ({ name: 'dense', inputs, outputs, bias }),
  };
}
