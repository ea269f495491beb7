import type { TrainEvent } from '@downhill/core';

/** An epoch event of a scripted learning curve (0-based epoch), for tests. */
export function epochEvent(epoch: number, loss: number, metrics?: Record<string, number>): TrainEvent {
  return {
    type: 'epoch',
    runId: 'scripted',
    seq: epoch + 1,
    time: 0,
    epoch,
    step: epoch + 1,
    loss,
    ...(metrics !== undefined ? { metrics } : {}),
  };
}
