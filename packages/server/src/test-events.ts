// Test plumbing: run events and how the stores take them.
import type { StepEvent, TrainEvent } from '@downhill/core';
import type { EventRow } from './run-store.js';

export function stepEvent(runId: string, seq: number, loss: number): StepEvent {
  return {
    type: 'step',
    runId,
    seq,
    time: seq,
    step: seq - 1,
    epoch: 0,
    batch: 0,
    loss,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: {},
  };
}

export function rowOf(event: TrainEvent, text = JSON.stringify(event)): EventRow {
  const loss = event.type === 'step' && Number.isFinite(event.loss) ? event.loss : null;
  return { seq: event.seq, type: event.type, loss, text };
}

/** Step events with these losses, and a learning-rate change in the middle (which downsampling must keep). */
export function runEvents(runId: string, losses: readonly number[]): TrainEvent[] {
  const events: TrainEvent[] = losses.map((loss, i) => stepEvent(runId, i + 1, loss));
  const middle = Math.floor(events.length / 2);
  events.splice(middle, 0, {
    type: 'hyperparam',
    runId,
    seq: 0,
    time: 0,
    step: 0,
    name: 'learningRate',
    value: 1,
    previous: undefined,
    source: 'test',
  });
  return events.map((event, seq) => ({ ...event, seq }));
}
