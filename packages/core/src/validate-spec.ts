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
  if (spec.params === undefined) fail('params', 'is required (initial parameters or a function of the RNG)');
  if (typeof spec.params !== 'function' && spec.params.length !== spec.objective.dimension) {
    fail(
      'params',
      `has length ${spec.params.length}, the objective has ${spec.objective.dimension} parameters`,
    );
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
  if (spec.resume !== undefined) {
    const { step } = spec.resume;
    if (!Number.isInteger(step) || step < 0)
      fail('resume.step', `must be a non-negative integer, got ${step}`);
    if (step > 0 && spec.loader !== undefined && spec.loader.batchesPerEpoch === undefined) {
      fail('resume', 'needs a loader that knows its batches per epoch');
    }
  }
}
