import { checkStateShape, restoreRunState } from './run-state.js';
import type { TrainSpec } from './spec.js';

function fail(field: string, message: string): never {
  throw new RangeError(`train: spec.${field} ${message}`);
}

function positiveInteger(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    fail(field, `must be a positive integer, got ${value}`);
  }
}

/** Throws a RangeError naming the first invalid field of `spec`. */
export function validateSpec(spec: TrainSpec<unknown>): void {
  if (spec === null || typeof spec !== 'object') throw new TypeError('train: spec must be an object');
  if (!spec.objective || typeof spec.objective.loss !== 'function')
    fail('objective', 'must have a loss(params, batch, grad) method');
  if (!Number.isInteger(spec.objective.dimension) || spec.objective.dimension < 1) {
    fail('objective.dimension', `must be a positive integer, got ${spec.objective.dimension}`);
  }
  if (
    !spec.optimizer ||
    typeof spec.optimizer.init !== 'function' ||
    typeof spec.optimizer.update !== 'function'
  ) {
    fail('optimizer', 'must have init and update methods');
  }
  if (spec.params === undefined && spec.restore === undefined)
    fail('params', 'is required (initial parameters or a function of the RNG)');
  if (
    spec.restore === undefined &&
    typeof spec.params !== 'function' &&
    spec.params.length !== spec.objective.dimension
  ) {
    fail(
      'params',
      `has length ${spec.params.length}, the objective has ${spec.objective.dimension} parameters`,
    );
  }
  if (spec.restore === undefined && typeof spec.params !== 'function') {
    // Float64Array.from would turn null into 0 and a string into NaN without a word.
    for (let i = 0; i < spec.params.length; i++) {
      const v = spec.params[i] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v))
        fail(`params[${i}]`, `must be a finite number, got ${v === null ? 'null' : JSON.stringify(v)}`);
    }
  }
  positiveInteger('epochs', spec.epochs);
  if (spec.steps !== undefined && (!Number.isInteger(spec.steps) || spec.steps < 0)) {
    fail('steps', `must be a non-negative integer, got ${spec.steps}`);
  }
  if (spec.epochs === undefined && spec.steps === undefined)
    fail('epochs', 'or spec.steps is required: a run needs a length');
  if (spec.epochs !== undefined && spec.loader === undefined)
    fail('epochs', 'needs spec.loader (epochs are passes over data)');
  if (spec.validation !== undefined && spec.loader === undefined) fail('validation', 'needs spec.loader');
  if (spec.sliceMs !== undefined && !(spec.sliceMs > 0))
    fail('sliceMs', `must be positive, got ${spec.sliceMs}`);
  if (spec.mode !== undefined && spec.mode !== 'sliced' && spec.mode !== 'sync') {
    fail('mode', `must be 'sliced' or 'sync', got ${JSON.stringify(spec.mode)}`);
  }
  if (typeof spec.recordParams === 'number') positiveInteger('recordParams', spec.recordParams);
  if (spec.seed !== undefined && !Number.isFinite(spec.seed))
    fail('seed', `must be a finite number, got ${spec.seed}`);
  const c = spec.checkpoint;
  if (c !== undefined) {
    if (c === null || typeof c.save !== 'function') fail('checkpoint.save', 'must be a function');
    positiveInteger('checkpoint.everySteps', c.everySteps);
    positiveInteger('checkpoint.everyEpochs', c.everyEpochs);
    if (c.everySeconds !== undefined && !(c.everySeconds > 0))
      fail('checkpoint.everySeconds', `must be a positive number, got ${c.everySeconds}`);
    if (c.everyEpochs !== undefined && spec.loader === undefined)
      fail('checkpoint.everyEpochs', 'needs spec.loader (epochs are passes over data)');
    if (c.best !== undefined) {
      if (spec.loader === undefined) fail('checkpoint.best', 'needs spec.loader (it watches epoch events)');
      const { mode, minDelta } = c.best;
      if (mode !== undefined && mode !== 'min' && mode !== 'max')
        fail('checkpoint.best.mode', `must be 'min' or 'max', got ${JSON.stringify(mode)}`);
      if (minDelta !== undefined && !(minDelta >= 0))
        fail('checkpoint.best.minDelta', `must be >= 0, got ${minDelta}`);
    }
  }
  if (spec.restore !== undefined) {
    try {
      const parts = restoreRunState(spec.restore, spec.objective.dimension);
      const bpe = spec.loader?.batchesPerEpoch;
      if (bpe !== undefined && parts.batch > bpe) {
        throw new RangeError(
          `it is at batch ${parts.batch} of epoch ${parts.epoch}, the loader has ${bpe} batches an epoch (did the batch size or the data change?)`,
        );
      }
      checkStateShape(spec.optimizer.init(parts.params), parts.optimizerState, {
        dimension: spec.objective.dimension,
      });
    } catch (err) {
      fail('restore', `is not a usable run state: ${(err as Error).message}`);
    }
  }
  if (spec.resume !== undefined) {
    const { step } = spec.resume;
    if (!Number.isInteger(step) || step < 0)
      fail('resume.step', `must be a non-negative integer, got ${step}`);
    if (step > 0 && spec.loader !== undefined && spec.loader.batchesPerEpoch === undefined) {
      fail('resume', 'needs a loader that knows its batches per epoch');
    }
    if (typeof spec.params !== 'function') {
      try {
        checkStateShape(spec.optimizer.init(Float64Array.from(spec.params)), spec.resume.optimizerState, {
          dimension: spec.objective.dimension,
        });
      } catch (err) {
        fail('resume', `has an unusable optimizer state: ${(err as Error).message}`);
      }
    }
  }
}
