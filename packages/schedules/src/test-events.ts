// Hand-made run events for the marble tests (not exported).
import type { EpochEvent, StartEvent, StepEvent } from '@downhill/core';

export function startEvent(): StartEvent {
  return {
    type: 'start',
    runId: 'r',
    seq: 0,
    time: 0,
    step: 0,
    params: [0],
    config: {
      model: undefined,
      optimizer: { name: 'sgd' },
      data: undefined,
      batchSize: undefined,
      samples: undefined,
      batchesPerEpoch: undefined,
      parameterCount: 1,
      seed: 0,
      epochs: undefined,
      steps: undefined,
      validationSamples: undefined,
      extra: {},
    },
  };
}

export function stepEvent(step: number, loss: number, learningRate: number): StepEvent {
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
    learningRate,
    hyperparams: { learningRate },
  };
}

export function epochEvent(
  epoch: number,
  validationLoss: number | undefined,
  metrics?: Record<string, number>,
): EpochEvent {
  return {
    type: 'epoch',
    runId: 'r',
    seq: 100 + epoch,
    time: epoch,
    epoch,
    step: epoch + 1,
    loss: 1,
    ...(validationLoss !== undefined ? { validationLoss } : {}),
    ...(metrics ? { metrics } : {}),
  };
}
