import type { StepEvent, TrainEvent } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeServerMessage } from './decode-message.js';
import { splitColumnarSteps, toStepColumns } from './step-columns.js';

function stepEvent(seq: number, overrides: Partial<StepEvent> = {}): StepEvent {
  return {
    type: 'step',
    runId: 'r1',
    seq,
    time: 10 + seq * 0.125,
    step: seq - 1,
    epoch: 0,
    batch: (seq - 1) % 4,
    loss: 1 / seq,
    gradNorm: 2 / seq,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1, momentum: 0.9 },
    ...overrides,
  };
}

/** A live frame as the server writes it: whole events plus the columnar steps, through JSON. */
function liveFrame(events: readonly TrainEvent[]): string {
  const { steps, others } = splitColumnarSteps(events);
  return JSON.stringify({
    type: 'events',
    runId: 'r1',
    phase: 'live',
    exact: true,
    events: others,
    ...(steps.length > 0 ? { steps: toStepColumns(steps) } : {}),
  });
}

/** What a client decodes from a frame that carries every event whole (the oracle). */
function wholeFrame(events: readonly TrainEvent[]): string {
  return JSON.stringify({ type: 'events', runId: 'r1', phase: 'live', exact: true, events });
}

function decodedEvents(text: string): TrainEvent[] {
  const decoded = decodeServerMessage(text);
  if (!decoded.ok) throw new Error(decoded.error);
  if (decoded.message.type !== 'events') throw new Error(`got ${decoded.message.type}`);
  return decoded.message.events;
}

describe('step events in columns', () => {
  it('decodes to exactly the events a frame of whole events gives, mixed with other events in seq order', () => {
    const events: TrainEvent[] = [
      stepEvent(1),
      stepEvent(2, { loss: Number.NaN, gradNorm: Number.POSITIVE_INFINITY }),
      {
        type: 'hyperparam',
        runId: 'r1',
        seq: 3,
        time: 11,
        step: 2,
        name: 'learningRate',
        value: 0.05,
        previous: 0.1,
        source: 'test',
      },
      stepEvent(4, { learningRate: 0.05, hyperparams: { learningRate: 0.05, momentum: 0.9 } }),
      stepEvent(5, { params: [1, 2] }),
      stepEvent(6, { epoch: 1 }),
    ];
    const columnar = liveFrame(events);
    expect(decodedEvents(columnar)).toEqual(decodedEvents(wholeFrame(events)));
    expect(decodedEvents(columnar).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes a value shared by every event once, and keeps events it cannot put in columns whole', () => {
    const steps = [stepEvent(1), stepEvent(2), stepEvent(3)];
    const columns = toStepColumns(steps);
    expect(columns.epoch).toBe(0);
    expect(columns.learningRate).toBe(0.1);
    expect(columns.hyperparams).toEqual({ learningRate: 0.1, momentum: 0.9 });
    expect(columns.loss).toEqual([1, 1 / 2, 1 / 3]);
    const extra = { ...stepEvent(4), note: 'custom field' } as unknown as TrainEvent;
    const renamed = stepEvent(5, { hyperparams: { learningRate: 0.1 } });
    const split = splitColumnarSteps([...steps, extra, renamed, stepEvent(6, { params: [0] })]);
    expect(split.steps.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(split.others.map((event) => event.seq)).toEqual([4, 5, 6]);
  });

  it('is under 45% of the size of the same events as objects, even with many-digit times and losses', () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      stepEvent(i + 1, { time: 1000 + i * 0.0731234, loss: Math.exp(-i / 100) + i * 1e-9 }),
    );
    expect(liveFrame(events).length).toBeLessThan(0.45 * wholeFrame(events).length);
  });

  it('round-trips random batches (property)', () => {
    const number = fc.oneof(fc.double(), fc.constant(0.5));
    const arbitraryStep = fc.record({
      time: fc.double({ min: 0, max: 1e6, noNaN: true }),
      step: fc.nat(),
      epoch: fc.nat(3),
      batch: fc.nat(10),
      loss: number,
      gradNorm: number,
      learningRate: number,
      momentum: number,
    });
    fc.assert(
      fc.property(fc.array(arbitraryStep, { maxLength: 40 }), (fields) => {
        const events = fields.map(({ momentum, ...rest }, i) =>
          stepEvent(i, { ...rest, hyperparams: { learningRate: rest.learningRate, momentum } }),
        );
        expect(decodedEvents(liveFrame(events))).toEqual(decodedEvents(wholeFrame(events)));
      }),
    );
  });

  it('refuses columns whose length does not match seq, naming the column', () => {
    const frame = JSON.parse(liveFrame([stepEvent(1), stepEvent(2)]));
    frame.steps.loss = [1, 2, 3];
    const decoded = decodeServerMessage(JSON.stringify(frame));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/column loss has 3 values for 2 step events/);
  });
});
