import { type TrainEvent, type TrainSpec, train } from '@downhill/core';

// Bytes allocated per step after warm-up: the heap is collected at step FROM and read again at
// step TO (with --min-semi-space-size=64 the young generation holds everything the steps allocate
// in between, so nothing is collected there). Needs node --expose-gc.

const FROM = 1000;
const TO = 3000;

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the figures can be taken (node --expose-gc). */
export const canMeasureBytes = gc !== undefined;

/** Per step of `steps(n)`, a loop that runs n steps and can be called again to continue. */
export function loopBytesPerStep(steps: (n: number) => void, from = FROM, to = TO): number {
  steps(from);
  gc!();
  const before = process.memoryUsage().heapUsed;
  steps(to - from);
  return (process.memoryUsage().heapUsed - before) / (to - from);
}

/** Per step of a sync train() run of `spec` (its `steps` and `mode` are set here), event objects included. */
export function runBytesPerStep(spec: TrainSpec, from = FROM, to = TO): number {
  let before = 0;
  let after = 0;
  train({ ...spec, steps: to + 1, mode: 'sync' }).subscribe({
    next: (e: TrainEvent) => {
      if (e.type !== 'step') return;
      if (e.step === from) {
        gc!();
        before = process.memoryUsage().heapUsed;
      } else if (e.step === to) after = process.memoryUsage().heapUsed;
    },
    error: (err: unknown) => console.error(err),
  });
  return (after - before) / (to - from);
}
