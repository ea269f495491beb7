import type { Subscriber } from 'rxjs';
import type { EndEvent, TrainEvent } from '../events.js';
import { type RunController, runControllerOf } from '../run-controller.js';

/**
 * What a stopping operator needs to end a run properly. For a run in this process, the stop goes
 * through the run's controller: the run finishes its step and emits its own `end` event with the
 * reason and parameters. For events without a controller (replayed, or received over the wire) the
 * operator synthesises the `end` event from what it saw, then completes.
 */
export class RunStopper {
  private controller: RunController | undefined;
  private lastEvent: TrainEvent | undefined;
  private lastParams: number[] | undefined;
  private stopped = false;

  constructor(private readonly subscriber: Subscriber<TrainEvent>) {}

  get controllerAvailable(): boolean {
    return this.controller !== undefined;
  }

  /** Records `event`; returns false when the operator already ended the stream itself. */
  observe(event: TrainEvent): void {
    if (event.type === 'start') {
      this.controller = runControllerOf(event);
      this.lastParams = event.params;
      this.stopped = false;
    } else if (event.type === 'step' && event.params) {
      this.lastParams = event.params;
    }
    this.lastEvent = event;
  }

  /**
   * Keeps the operator's state in the run's checkpoints (when the run is in this process): returns
   * the state restored from a checkpoint, if any. Call it on the `start` event.
   */
  keepState(key: string, save: () => unknown): unknown {
    return this.controller?.keepState(key, save);
  }

  /** A copy of the current parameters when the run is in this process, else the last recorded ones. */
  snapshot(): ArrayLike<number> | undefined {
    return this.controller ? this.controller.snapshot() : this.lastParams?.slice();
  }

  stop(
    reason: 'converged' | 'early-stopped',
    source: string,
    extra: { params?: ArrayLike<number>; bestLoss?: number } = {},
  ): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.controller) {
      this.controller.send({ type: 'stop', reason, source, ...extra });
      return;
    }
    const last = this.lastEvent;
    if (!last) return;
    const params = extra.params ?? this.lastParams ?? [];
    const end: EndEvent = {
      type: 'end',
      runId: last.runId,
      seq: last.seq + 1,
      time: last.time,
      reason,
      step: 'step' in last ? last.step + (last.type === 'step' ? 1 : 0) : 0,
      epoch: last.type === 'step' || last.type === 'epoch' ? last.epoch : 0,
      params: Array.from(params),
      loss: last.type === 'step' || last.type === 'epoch' ? last.loss : Number.NaN,
      source,
      ...(extra.params !== undefined ? { bestParams: Array.from(extra.params) } : {}),
      ...(extra.bestLoss !== undefined ? { bestLoss: extra.bestLoss } : {}),
    };
    this.subscriber.next(end);
    this.subscriber.complete();
  }
}
