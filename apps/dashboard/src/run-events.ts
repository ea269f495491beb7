import type { DownhillClient } from '@downhill/client';
import type { RunConfig } from '@downhill/core';
import type { RunStoreInput } from '@downhill/dashboard';
import { merge, mergeMap, type Observable, ReplaySubject, share, tap } from 'rxjs';

/**
 * One event stream per run from the client, shared and replayed, so switching the charts between
 * runs does not fetch a run's history again. The client resumes each stream from its last `seq`
 * after a reconnect, so a server restart continues the charts without gaps or duplicates. Live
 * step events stay in the wire's columns (a batch with `steps`) all the way into the charts' store.
 */
export class RunEvents {
  readonly #client: DownhillClient;
  readonly #streams = new Map<string, Observable<RunStoreInput>>();
  readonly #configs = new Map<string, RunConfig>();
  readonly #downsampled = new Set<string>();
  readonly #maxPoints: number;
  /** Called when a run's `start` event arrives (its parameter count is then known). */
  onStart: (() => void) | undefined;

  /** `maxPoints`: a longer history arrives min/max-downsampled to about this many steps. */
  constructor(client: DownhillClient, options: { readonly maxPoints?: number } = {}) {
    this.#client = client;
    this.#maxPoints = options.maxPoints ?? 200_000;
  }

  /** True when some of the run's history arrived downsampled (zooming should fetch detail). */
  downsampled(runId: string): boolean {
    return this.#downsampled.has(runId);
  }

  /** The run's events for a `RunStoreFeed`: single events, and batches whose steps are in columns. */
  events(runId: string): Observable<RunStoreInput> {
    let stream = this.#streams.get(runId);
    if (!stream) {
      stream = this.#client.events(runId, { maxPoints: this.#maxPoints, stepColumns: true }).pipe(
        tap((batch) => {
          if (!batch.exact) this.#downsampled.add(runId);
          for (const event of batch.events)
            if (event.type === 'start') {
              this.#configs.set(runId, event.config);
              this.onStart?.();
            }
        }),
        mergeMap((batch): readonly RunStoreInput[] =>
          batch.steps === undefined
            ? batch.events
            : [{ runId: batch.runId, events: batch.events, steps: batch.steps }],
        ),
        share({
          connector: () => new ReplaySubject<RunStoreInput>(),
          resetOnRefCountZero: false,
          resetOnComplete: false,
        }),
      );
      this.#streams.set(runId, stream);
    }
    return stream;
  }

  merged(runIds: readonly string[]): Observable<RunStoreInput> {
    return merge(...runIds.map((id) => this.events(id)));
  }

  /** The run's resolved configuration, once its `start` event arrived. */
  config(runId: string): RunConfig | undefined {
    return this.#configs.get(runId);
  }
}
