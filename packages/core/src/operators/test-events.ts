// Hand-made events for marble tests of the operators (not exported).
import type { EpochEvent, StartEvent, StepEvent, TrainEvent } from '../events.js';

export function startEvent(seq = 0, params: number[] = [0, 0]): StartEvent {
  return {
    type: 'start',
    runId: 'r',
    seq,
    time: 0,
    step: 0,
    params,
    config: {
      model: undefined,
      optimizer: { name: 'sgd' },
      data: undefined,
      batchSize: undefined,
      samples: undefined,
      batchesPerEpoch: undefined,
      parameterCount: params.length,
      seed: 0,
      epochs: undefined,
      steps: undefined,
      validationSamples: undefined,
      extra: {},
    },
  };
}

export function stepEvent(step: number, loss: number, params?: number[]): StepEvent {
  return {
    type: 'step',
    runId: 'r',
    seq: step + 1,
    time: step,
    step,
    epoch: 0,
    batch: step,
    loss,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1 },
    ...(params ? { params } : {}),
  };
}

export function epochEvent(
  epoch: number,
  seq: number,
  loss: number,
  validationLoss?: number,
  metrics?: Record<string, number>,
): EpochEvent {
  return {
    type: 'epoch',
    runId: 'r',
    seq,
    time: seq,
    epoch,
    step: epoch + 1,
    loss,
    ...(validationLoss !== undefined ? { validationLoss } : {}),
    ...(metrics ? { metrics } : {}),
  };
}

export type Events = Record<string, TrainEvent>;
