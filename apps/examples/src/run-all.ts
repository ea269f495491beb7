import { type Experiment, experimentRunEvents } from '@downhill/cli';
import type { EndEvent, EpochEvent, StepEvent, TrainEvent } from '@downhill/core';
import { lastValueFrom, toArray } from 'rxjs';

/** Everything one run of an experiment emitted, sorted by kind. */
export interface RecordedRun {
  readonly label: string;
  readonly steps: StepEvent[];
  readonly epochs: EpochEvent[];
  readonly end: EndEvent;
}

/** Trains every run of an experiment here, one after the other, and keeps all their events. */
export async function recordExperiment(experiment: Experiment): Promise<RecordedRun[]> {
  const recorded: RecordedRun[] = [];
  for (const run of experiment.runs()) {
    const sync = { ...run, spec: { ...run.spec, mode: 'sync' as const } };
    const events: TrainEvent[] = await lastValueFrom(experimentRunEvents(experiment, sync).pipe(toArray()));
    const end = events.at(-1);
    if (end?.type !== 'end') throw new Error(`${experiment.name}: ${run.label} ended without an end event`);
    recorded.push({
      label: run.label,
      steps: events.filter((e): e is StepEvent => e.type === 'step'),
      epochs: events.filter((e): e is EpochEvent => e.type === 'epoch'),
      end,
    });
  }
  return recorded;
}

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
