import type { TrainEvent } from '@downhill/core';
import { splitColumnarSteps, toStepColumns } from '@downhill/protocol';
import type { PendingEvent } from './live-run.js';

/** A live batch: step events in columns (a fifth to a third of the bytes), the others as their stored JSON. */
export function liveFrame(runId: string, events: readonly PendingEvent[]): string {
  const { steps, others } = splitColumnarSteps(events.map((pending) => pending.event));
  // Only the events that travel whole need their text; most of a live batch is steps.
  const texts = new Map<TrainEvent, string>();
  if (others.length > 0)
    for (const pending of events) texts.set(pending.event, pending.text ?? JSON.stringify(pending.event));
  const frame = eventsFrame(
    runId,
    'live',
    true,
    false,
    others.map((event) => texts.get(event)!),
  );
  if (steps.length === 0) return frame;
  return `${frame.slice(0, -1)},"steps":${JSON.stringify(toStepColumns(steps))}}`;
}

/** An `events` message around events' JSON texts, which are spliced in, never parsed. */
export function eventsFrame(
  runId: string,
  phase: string,
  exact: boolean,
  complete: boolean,
  texts: readonly string[],
): string {
  const head = JSON.stringify({ type: 'events', runId, phase, exact, ...(complete ? { complete } : {}) });
  return `${head.slice(0, -1)},"events":[${texts.join(',')}]}`;
}
