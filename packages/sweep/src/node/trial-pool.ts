import { Worker } from 'node:worker_threads';
import type { TrainEvent } from '@downhill/core';
import { workerEntry } from '@downhill/core/node';
import { Observable, type Subscriber } from 'rxjs';
import type { Config } from '../domain.js';
import type { TrialControl } from '../sweep.js';
import type { TrialModule } from './trial-module.js';
import { type FromWorker, type ToWorker, VERDICT_CONTINUE, VERDICT_STOP } from './worker-protocol.js';

interface Request {
  readonly token: number;
  readonly config: Config;
  readonly control: TrialControl;
  readonly subscriber: Subscriber<TrainEvent>;
  slot?: Slot;
}

interface Slot {
  readonly worker: Worker;
  readonly verdict: Int32Array;
  /** The trial it runs, until the worker says it is free again (a stopped trial winds down first). */
  current?: Request;
  dead: boolean;
}

export interface TrialPoolOptions {
  readonly trial: TrialModule;
  /** Worker threads at most; each runs one trial at a time. */
  readonly size: number;
}

/**
 * Worker threads that run trials, one each, started as trials need them and reused. `run` is a
 * trial as an Observable of its events: unsubscribing it stops the trial in its worker; a trial
 * that throws, or a worker that dies, errors it (the pool replaces the worker). `close` ends the
 * workers.
 */
export class TrialPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Request[] = [];
  private tokens = 0;
  private closed = false;

  constructor(private readonly options: TrialPoolOptions) {}

  run(config: Config, control: TrialControl): Observable<TrainEvent> {
    return new Observable<TrainEvent>((subscriber) => {
      const request: Request = { token: ++this.tokens, config, control, subscriber };
      this.queue.push(request);
      this.dispatch();
      return () => {
        const queued = this.queue.indexOf(request);
        if (queued >= 0) this.queue.splice(queued, 1);
        const slot = request.slot;
        if (slot !== undefined && slot.current === request && !slot.dead)
          slot.worker.postMessage({ type: 'stop', token: request.token } satisfies ToWorker);
      };
    });
  }

  /** Terminates every worker (a worker waiting for a verdict is told to stop first). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.dead = true;
      Atomics.store(slot.verdict, 0, VERDICT_STOP);
      Atomics.notify(slot.verdict, 0);
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.current === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.options.size) return;
        slot = this.spawn();
      }
      const request = this.queue.shift()!;
      request.slot = slot;
      slot.current = request;
      slot.worker.postMessage({
        type: 'run',
        token: request.token,
        config: request.config,
        control: request.control,
      } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    const entry = workerEntry(import.meta.url, 'trial-worker');
    const verdict = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(entry.url, {
      ...entry.options,
      workerData: { trial: this.options.trial, verdict: verdict.buffer },
    });
    const slot: Slot = { worker, verdict, dead: false };
    worker.on('message', (message: FromWorker) => this.receive(slot, message));
    worker.on('error', (error) => this.lose(slot, `its worker failed: ${error.message}`));
    worker.on('exit', (code) => this.lose(slot, `its worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, message: FromWorker): void {
    const request = slot.current;
    const mine = request !== undefined && request.token === message.token;
    if (message.type === 'events') {
      if (mine) {
        for (const event of message.events) {
          if (request.subscriber.closed) break;
          request.subscriber.next(event);
        }
      }
      if (message.verdict) {
        // The worker waits after an epoch event: a subscriber the sweep unsubscribed while
        // handling that event (a pruned trial) stops it there.
        const go = mine && !request.subscriber.closed;
        Atomics.store(slot.verdict, 0, go ? VERDICT_CONTINUE : VERDICT_STOP);
        Atomics.notify(slot.verdict, 0);
      }
      return;
    }
    if (!mine) return;
    slot.current = undefined;
    const { subscriber } = request;
    if (message.outcome === 'failed') subscriber.error(new Error(message.error ?? 'the trial failed'));
    else subscriber.complete();
    this.dispatch();
  }

  /** A worker died (an uncaught error, process.exit in the trial): its trial fails, the next trial gets a new worker. */
  private lose(slot: Slot, reason: string): void {
    if (slot.dead) return;
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const request = slot.current;
    slot.current = undefined;
    if (request !== undefined)
      request.subscriber.error(new Error(`trial ${request.control.trialId}: ${reason}`));
    this.dispatch();
  }
}
