import type { TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';

/** A fresh summary for a run the server has just seen. */
export function newSummary(
  runId: string,
  origin: RunSummary['origin'],
  meta: Record<string, unknown>,
  now: number,
): RunSummary {
  return {
    runId,
    name: typeof meta.name === 'string' ? meta.name : runId,
    status: 'running',
    origin,
    startedAt: now,
    updatedAt: now,
    lastSeq: -1,
    config: {},
    meta,
    step: 0,
    epoch: 0,
    loss: Number.NaN,
    learningRate: Number.NaN,
    hyperparams: {},
  };
}

/**
 * Folds one event into the run's summary (in place: called for every event of a live run as it
 * arrives; `lastSeq` is not touched: it says what is stored, and the hub sets it on commit).
 * Returns true when the change is one the run list should hear about at once (status, end).
 */
export function summarizeEvent(summary: RunSummary, event: TrainEvent, now: number): boolean {
  summary.updatedAt = now;
  switch (event.type) {
    case 'start': {
      const { model, optimizer, data, batchSize, samples, parameterCount, seed, epochs, steps, extra } =
        event.config;
      summary.config = {
        model,
        optimizer,
        data,
        batchSize,
        samples,
        parameterCount,
        seed,
        epochs,
        steps,
        extra,
      };
      if (typeof extra.name === 'string' && summary.name === summary.runId) summary.name = extra.name;
      summary.step = event.step;
      return true;
    }
    case 'step':
      summary.step = event.step;
      summary.epoch = event.epoch;
      summary.loss = event.loss;
      if (Number.isFinite(event.loss) && !(event.loss >= (summary.bestLoss ?? Number.POSITIVE_INFINITY)))
        summary.bestLoss = event.loss;
      summary.learningRate = event.learningRate;
      summary.hyperparams = event.hyperparams;
      return false;
    case 'epoch':
      summary.epoch = event.epoch;
      if (event.validationLoss !== undefined) summary.validationLoss = event.validationLoss;
      return false;
    case 'status':
      summary.status = event.status;
      return true;
    case 'end':
      summary.status = 'ended';
      summary.endReason = event.reason;
      summary.step = event.step;
      summary.epoch = event.epoch;
      if (Number.isFinite(event.loss)) summary.loss = event.loss;
      return true;
    default:
      return false;
  }
}
