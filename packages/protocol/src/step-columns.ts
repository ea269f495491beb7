import type { StepEvent, TrainEvent } from '@downhill/core';
import { z } from 'zod';
import { wireNumber } from './wire-number.js';

// Live batches carry step events column by column: the keys, the run id and the values that do
// not change within a batch (epoch, learning rate, hyperparameters) are written once instead of
// once per event, which makes a live frame a fifth to a third of its size as an array of objects
// (a fifth in the fan-out benchmark, nearer a third when every number has many digits). That
// is the bytes every client's socket moves, the server writes, and every browser parses.

const column = z.union([wireNumber, z.array(wireNumber)]);
const intColumn = z.union([z.number().int(), z.array(z.number().int())]);

/**
 * Step events in columns. `seq` has one entry per event; every other field is either an array of
 * the same length or a single value that all the events share. `hyperparams` holds one such
 * column per hyperparameter name.
 */
export const stepColumnsSchema = z
  .strictObject({
    seq: z.array(z.number().int().nonnegative()),
    time: column,
    step: intColumn,
    epoch: intColumn,
    batch: intColumn,
    loss: column,
    gradNorm: column,
    learningRate: column,
    hyperparams: z.record(z.string(), column),
  })
  .superRefine((columns, context) => {
    const length = columns.seq.length;
    const check = (name: string, values: number | readonly number[]): void => {
      if (Array.isArray(values) && values.length !== length) {
        context.addIssue({
          code: 'custom',
          message: `column ${name} has ${values.length} values for ${length} step events`,
        });
      }
    };
    for (const name of ['time', 'step', 'epoch', 'batch', 'loss', 'gradNorm', 'learningRate'] as const) {
      check(name, columns[name]);
    }
    for (const [name, values] of Object.entries(columns.hyperparams)) check(`hyperparams.${name}`, values);
  });

export type StepColumns = z.output<typeof stepColumnsSchema>;

const STEP_KEYS = new Set([
  'type',
  'runId',
  'seq',
  'time',
  'step',
  'epoch',
  'batch',
  'loss',
  'gradNorm',
  'learningRate',
  'hyperparams',
  'params',
]);

/**
 * Whether a step event fits in columns: no recorded parameters and no fields beyond
 * `StepEvent`'s (anything else travels as a whole object, so nothing is lost).
 */
export function isColumnarStep(event: TrainEvent): event is StepEvent {
  if (event.type !== 'step' || event.params !== undefined) return false;
  for (const key in event) if (!STEP_KEYS.has(key)) return false;
  return true;
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

function toColumn(values: number[]): number | number[] {
  const first = values[0]!;
  for (let i = 1; i < values.length; i++) if (!same(values[i]!, first)) return values;
  return first;
}

/**
 * Step events (all passing `isColumnarStep`, with the same hyperparameter names) as columns.
 * `JSON.stringify` of the result writes non-finite numbers as `null`, which decodes as NaN.
 */
export function toStepColumns(events: readonly StepEvent[]): StepColumns {
  const n = events.length;
  const seq = new Array<number>(n);
  const time = new Array<number>(n);
  const step = new Array<number>(n);
  const epoch = new Array<number>(n);
  const batch = new Array<number>(n);
  const loss = new Array<number>(n);
  const gradNorm = new Array<number>(n);
  const learningRate = new Array<number>(n);
  const names = n === 0 ? [] : Object.keys(events[0]!.hyperparams);
  const hyper = names.map(() => new Array<number>(n));
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    seq[i] = event.seq;
    time[i] = event.time;
    step[i] = event.step;
    epoch[i] = event.epoch;
    batch[i] = event.batch;
    loss[i] = event.loss;
    gradNorm[i] = event.gradNorm;
    learningRate[i] = event.learningRate;
    for (let h = 0; h < names.length; h++) hyper[h]![i] = event.hyperparams[names[h]!]!;
  }
  const hyperparams: Record<string, number | number[]> = {};
  names.forEach((name, h) => {
    hyperparams[name] = toColumn(hyper[h]!);
  });
  return {
    seq,
    time: toColumn(time),
    step: toColumn(step),
    epoch: toColumn(epoch),
    batch: toColumn(batch),
    loss: toColumn(loss),
    gradNorm: toColumn(gradNorm),
    learningRate: toColumn(learningRate),
    hyperparams,
  };
}

/** Splits a batch into the step events that go in columns and the events that travel whole. */
export function splitColumnarSteps(events: readonly TrainEvent[]): {
  readonly steps: StepEvent[];
  readonly others: TrainEvent[];
} {
  const steps: StepEvent[] = [];
  const others: TrainEvent[] = [];
  let names: string | undefined;
  for (const event of events) {
    if (isColumnarStep(event)) {
      // One hyperparameter-name set per batch (a `set` of a new name mid-batch is rare).
      const these = Object.keys(event.hyperparams).join('\u0000');
      names ??= these;
      if (these === names) {
        steps.push(event);
        continue;
      }
    }
    others.push(event);
  }
  return { steps, others };
}

const at = (values: number | readonly number[], i: number): number =>
  typeof values === 'number' ? values : values[i]!;

/** The step events of `runId` that `columns` holds, in `seq` order. */
export function fromStepColumns(runId: string, columns: StepColumns): StepEvent[] {
  const names = Object.keys(columns.hyperparams);
  return columns.seq.map((seq, i) => {
    const hyperparams: Record<string, number> = {};
    for (const name of names) hyperparams[name] = at(columns.hyperparams[name]!, i);
    return {
      type: 'step',
      runId,
      seq,
      time: at(columns.time, i),
      step: at(columns.step, i),
      epoch: at(columns.epoch, i),
      batch: at(columns.batch, i),
      loss: at(columns.loss, i),
      gradNorm: at(columns.gradNorm, i),
      learningRate: at(columns.learningRate, i),
      hyperparams,
    };
  });
}

/** Merges two lists that are each in `seq` order into one. */
export function mergeBySeq(a: readonly TrainEvent[], b: readonly TrainEvent[]): TrainEvent[] {
  if (a.length === 0) return b as TrainEvent[];
  if (b.length === 0) return a as TrainEvent[];
  const out: TrainEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.seq <= b[j]!.seq ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
