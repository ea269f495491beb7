import type { Description, Optimizer, UpdateContext, Vector } from '@downhill/core';
import { describeTransform, settableOf } from './chain.js';
import { type LayoutBlock, layoutSegments } from './parameter-layout.js';

/** Options of {@link partition}. */
export interface PartitionOptions {
  /** The model's parameter blocks (`model.layout`); every parameter must be in one. */
  readonly layout: readonly LayoutBlock[];
  /** An optimizer per group, by label. */
  // biome-ignore lint/suspicious/noExplicitAny: groups may run optimizers of any state type
  readonly groups: Readonly<Record<string, Optimizer<any>>>;
  /** The group of a block. Default: its `kind` (`'weight'` or `'bias'` in the shipped models). */
  readonly label?: (block: LayoutBlock) => string;
}

interface Group {
  readonly label: string;
  // biome-ignore lint/suspicious/noExplicitAny: see PartitionOptions.groups
  readonly optimizer: Optimizer<any>;
  /** Ranges `[start, end)` of the full vector, in order. */
  readonly ranges: readonly (readonly [number, number])[];
  /** The group's updates and parameters, gathered from the full vectors each step. */
  readonly updates: Float64Array;
  readonly params: Float64Array;
}

function gather(from: Vector, to: Float64Array, ranges: Group['ranges']): void {
  let at = 0;
  for (const [start, end] of ranges) for (let i = start; i < end; i++) to[at++] = from[i]!;
}

function scatter(from: Float64Array, to: Vector, ranges: Group['ranges']): void {
  let at = 0;
  for (const [start, end] of ranges) for (let i = start; i < end; i++) to[i] = from[at++]!;
}

/**
 * Parameter groups (Optax's `multi_transform`, PyTorch's `param_groups`): each block of the
 * layout is labelled, and each label's parameters are updated by their own optimizer, on the
 * vector of just those parameters: e.g. weight decay on weights but not on biases,
 *
 * ```ts
 * partition({ layout: model.layout, groups: { weight: adamw({ weightDecay: 0.01 }), bias: adam() } })
 * ```
 *
 * The state is one state per group (`{ [label]: state }`, plain data that checkpoints keep).
 * `settable` is the union of the groups'; a live `set` reaches every group that has the name (the
 * run has one value per hyperparameter name). Layer-wise optimizers (LAMB, LARS, Muon, Adafactor)
 * see their group's parameters as one vector unless given that group's own layout. Optimizers that
 * evaluate the objective again within a step (SAM, L-BFGS, Newton) need the whole vector: not in a
 * group.
 */
export function partition(options: PartitionOptions): Optimizer<Record<string, unknown>> {
  const label = options.label ?? ((block: LayoutBlock) => block.kind ?? 'weight');
  const labels = Object.keys(options.groups);
  if (labels.length === 0) throw new RangeError('partition: groups must name at least one optimizer');
  const members = new Map<string, [number, number][]>(labels.map((l) => [l, []]));
  let length = 0;
  for (const block of options.layout) length = Math.max(length, block.offset + block.rows * block.cols);
  for (const segment of layoutSegments('partition', options.layout, length)) {
    if (segment.block === undefined) {
      throw new RangeError(
        `partition: parameters ${segment.start} to ${segment.end - 1} are in no block of the layout`,
      );
    }
    const name = label(segment.block);
    const ranges = members.get(name);
    if (ranges === undefined) {
      throw new RangeError(
        `partition: block ${segment.block.name} is labelled ${JSON.stringify(name)}, which has no optimizer in groups (${labels.map((l) => JSON.stringify(l)).join(', ')})`,
      );
    }
    ranges.push([segment.start, segment.end]);
  }
  const groups: Group[] = [];
  for (const name of labels) {
    const ranges = members.get(name)!;
    const size = ranges.reduce((sum, [start, end]) => sum + end - start, 0);
    if (size === 0) continue;
    groups.push({
      label: name,
      optimizer: options.groups[name]!,
      ranges,
      updates: new Float64Array(size),
      params: new Float64Array(size),
    });
  }
  const checkLength = (params: Vector): void => {
    if (params.length !== length) {
      throw new RangeError(`partition: the layout covers ${length} parameters, the run has ${params.length}`);
    }
  };

  return {
    name: 'partition',
    settable: settableOf(groups.map((g) => g.optimizer)),
    init(params: Vector): Record<string, unknown> {
      checkLength(params);
      const state: Record<string, unknown> = {};
      for (const group of groups) {
        gather(params, group.params, group.ranges);
        state[group.label] = group.optimizer.init(group.params);
      }
      return state;
    },
    update(updates: Vector, state: Record<string, unknown>, params: Vector, context: UpdateContext): void {
      checkLength(params);
      for (const group of groups) {
        gather(updates, group.updates, group.ranges);
        gather(params, group.params, group.ranges);
        group.optimizer.update(group.updates, state[group.label], group.params, context);
        scatter(group.updates, updates, group.ranges);
      }
    },
    describe(): Description {
      const described: Record<string, Description> = {};
      for (const group of groups) described[group.label] = describeTransform(group.optimizer);
      return { name: 'partition', groups: described };
    },
  };
}
