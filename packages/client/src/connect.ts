import type { TrainEvent } from '@downhill/core';
import {
  fromStepColumns,
  mergeBySeq,
  type RunSummary,
  type ServerMessage,
  type ServerMessageOf,
  type StepColumns,
  type WireCommand,
} from '@downhill/protocol';
import { BehaviorSubject, filter, firstValueFrom, Observable, of, type Subscriber, timeout } from 'rxjs';
import { type ConnectionStatus, ReconnectingSocket, type SocketOptions } from './reconnecting-socket.js';

/** Options of `connect`. */
export interface ClientOptions extends SocketOptions {
  /** The launch token the server printed; needed by `control` unless the server turned the check off. */
  readonly token?: string;
  /** How long `control` waits for the server's answer, in ms. Default 10000. */
  readonly requestTimeoutMs?: number;
}

/** Options of `DownhillClient.events`. */
export interface EventsOptions {
  /** First `seq` wanted. Default 0 (the whole run). */
  readonly fromSeq?: number;
  /** Downsample a long history to about this many step events (min/max per bucket, newest exact). */
  readonly maxPoints?: number;
  /**
   * Hand over the step events that the server sends in columns (live frames) as they came, in
   * `EventBatch.steps`, instead of as one object per step in `events` (which then holds only the
   * other events). For views that store columns (the dashboard's `RunStore.addBatch`). Default false.
   */
  readonly stepColumns?: boolean;
}

/** A batch of one run's events, in `seq` order, never repeating an event already delivered. */
export interface EventBatch {
  readonly runId: string;
  /** `history` (before the run's live edge), `live`, or `resync` (catching up after a stall). */
  readonly phase: 'history' | 'live' | 'resync';
  /** `false` when step events were left out (downsampled history or coalesced resync). */
  readonly exact: boolean;
  /** `true` on the batch that completes the history: what follows is live. */
  readonly complete: boolean;
  /**
   * Every event of the batch in `seq` order; with `stepColumns`, only those not in `steps`.
   */
  readonly events: readonly TrainEvent[];
  /**
   * With `stepColumns`: the batch's step events in columns (`seq` order, no step already
   * delivered), when the server sent them so; `events` and `steps` together are the batch.
   */
  readonly steps?: StepColumns;
}

/** A connection to a Downhill server (see `connect`). */
export interface DownhillClient {
  /** Where the connection stands; replays the current status to each subscriber. */
  readonly status$: Observable<ConnectionStatus>;
  /** The server's run list, newest first: emits the whole list on every change. */
  runs(): Observable<readonly RunSummary[]>;
  /**
   * A run's events in batches: its history from `fromSeq`, then live batches (~50 ms apart).
   * After a reconnect it resumes from the last `seq` it delivered, so no event is missed or
   * repeated. Completes after the run's `end` event; errors if the run does not exist.
   */
  events(runId: string, options?: EventsOptions): Observable<EventBatch>;
  /** Sends stop / pause / resume / set to a live run; resolves when the server handed it over. */
  control(runId: string, command: WireCommand): Promise<void>;
  /** Deletes a run that is not live, with its events (needs the token); `runs()` drops it. */
  deleteRun(runId: string): Promise<void>;
  /** Renames a run or sets its tags (needs the token); `runs()` shows the change. */
  updateRun(
    runId: string,
    change: { readonly name?: string; readonly tags?: readonly string[] },
  ): Promise<void>;
  /** Closes the connection for good (every stream completes). */
  close(): void;
}

interface Listener {
  readonly subscriber: Subscriber<EventBatch>;
  /** Highest `seq` delivered to this listener. */
  lastSeq: number;
  readonly maxPoints: number | undefined;
  readonly stepColumns: boolean;
  historyDone: boolean;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Connects to a Downhill server (`http://127.0.0.1:4400` or its `ws://.../ws` URL) from a browser
 * or Node. One connection carries every stream; it reconnects with backoff and resumes each run
 * from the last `seq` it delivered.
 */
export function connect(url: string, options: ClientOptions = {}): DownhillClient {
  const status$ = new BehaviorSubject<ConnectionStatus>('connecting');
  const runListeners = new Set<Subscriber<readonly RunSummary[]>>();
  const runs = new Map<string, RunSummary>();
  const eventListeners = new Map<string, Set<Listener>>();
  const pending = new Map<string, Pending>();
  let requestCounter = 0;

  const emitRuns = (): void => {
    const list = [...runs.values()].sort((a, b) => b.startedAt - a.startedAt);
    for (const listener of runListeners) listener.next(list);
  };

  /** (Re)subscribes a run from the oldest point any of its listeners still needs. */
  const subscribeRun = (runId: string): void => {
    const listeners = eventListeners.get(runId);
    if (!listeners || listeners.size === 0) return;
    let fromSeq = Number.POSITIVE_INFINITY;
    let maxPoints: number | undefined;
    for (const listener of listeners) {
      fromSeq = Math.min(fromSeq, listener.lastSeq + 1);
      if (!listener.historyDone && listener.maxPoints !== undefined) maxPoints = listener.maxPoints;
    }
    socket.send({ type: 'subscribe', runId, fromSeq, ...(maxPoints === undefined ? {} : { maxPoints }) });
  };

  const deliver = (message: ServerMessageOf<'events'>, steps: StepColumns | undefined): void => {
    const listeners = eventListeners.get(message.runId);
    if (!listeners) return;
    // Objects for the listeners that did not ask for columns, built once per frame.
    let merged: readonly TrainEvent[] | undefined;
    for (const listener of [...listeners]) {
      const columns = listener.stepColumns && steps !== undefined;
      const all = columns
        ? message.events
        : steps === undefined
          ? message.events
          : (merged ??= mergeBySeq(message.events, fromStepColumns(message.runId, steps)));
      const fresh = all.filter((event) => event.seq > listener.lastSeq) as TrainEvent[];
      const freshSteps = columns ? stepsAfter(steps, listener.lastSeq) : undefined;
      const complete = message.complete === true && !listener.historyDone;
      if (message.complete) listener.historyDone = true;
      const stepCount = freshSteps?.seq.length ?? 0;
      if (fresh.length === 0 && stepCount === 0 && !complete) continue;
      let lastSeq = fresh.length > 0 ? fresh[fresh.length - 1]!.seq : listener.lastSeq;
      if (stepCount > 0) lastSeq = Math.max(lastSeq, freshSteps!.seq[stepCount - 1]!);
      listener.lastSeq = lastSeq;
      listener.subscriber.next({
        runId: message.runId,
        phase: message.phase,
        exact: message.exact,
        complete,
        events: fresh,
        ...(stepCount > 0 ? { steps: freshSteps! } : {}),
      });
      if (fresh.some((event) => event.type === 'end')) listener.subscriber.complete();
    }
  };

  const onMessage = (message: ServerMessage, steps?: StepColumns): void => {
    switch (message.type) {
      case 'runs':
        runs.clear();
        for (const run of message.runs) runs.set(run.runId, run);
        emitRuns();
        return;
      case 'run':
        runs.set(message.run.runId, message.run);
        emitRuns();
        return;
      case 'runDeleted':
        if (runs.delete(message.runId)) emitRuns();
        return;
      case 'events':
        deliver(message, steps);
        return;
      case 'ack': {
        const request = message.requestId === undefined ? undefined : pending.get(message.requestId);
        if (request) {
          clearTimeout(request.timer);
          pending.delete(message.requestId!);
          request.resolve();
        }
        return;
      }
      case 'error': {
        const request = message.requestId === undefined ? undefined : pending.get(message.requestId);
        if (request) {
          clearTimeout(request.timer);
          pending.delete(message.requestId!);
          request.reject(new Error(`${message.code}: ${message.message}`));
          return;
        }
        if (message.code === 'unknown-run' && message.runId !== undefined) {
          for (const listener of eventListeners.get(message.runId) ?? []) {
            listener.subscriber.error(new Error(`${message.code}: ${message.message}`));
          }
        }
        return;
      }
      default:
        return;
    }
  };

  const socket = new ReconnectingSocket(url, options, {
    onOpen: () => {
      if (runListeners.size > 0) socket.send({ type: 'listRuns', watch: true });
      for (const runId of eventListeners.keys()) subscribeRun(runId);
    },
    onMessage,
    onStatus: (status) => {
      if (status$.value !== status) status$.next(status);
      if (status === 'closed') {
        for (const listener of runListeners) listener.complete();
        for (const listeners of eventListeners.values()) for (const l of listeners) l.subscriber.complete();
        for (const request of pending.values()) {
          clearTimeout(request.timer);
          request.reject(new Error('the connection was closed'));
        }
        pending.clear();
      }
    },
  });
  socket.start();

  return {
    status$: status$.asObservable(),
    runs: () =>
      new Observable<readonly RunSummary[]>((subscriber) => {
        runListeners.add(subscriber);
        if (runListeners.size === 1) socket.send({ type: 'listRuns', watch: true });
        else if (runs.size > 0) subscriber.next([...runs.values()].sort((a, b) => b.startedAt - a.startedAt));
        return () => {
          runListeners.delete(subscriber);
          if (runListeners.size === 0) socket.send({ type: 'unwatchRuns' });
        };
      }),
    events: (runId, eventsOptions = {}) =>
      new Observable<EventBatch>((subscriber) => {
        const listener: Listener = {
          subscriber,
          lastSeq: (eventsOptions.fromSeq ?? 0) - 1,
          maxPoints: eventsOptions.maxPoints,
          stepColumns: eventsOptions.stepColumns === true,
          historyDone: false,
        };
        let listeners = eventListeners.get(runId);
        if (!listeners) eventListeners.set(runId, (listeners = new Set()));
        listeners.add(listener);
        subscribeRun(runId);
        return () => {
          listeners.delete(listener);
          if (listeners.size === 0) {
            eventListeners.delete(runId);
            socket.send({ type: 'unsubscribe', runId });
          }
        };
      }),
    control: (runId, command) => request({ type: 'control', runId, command }),
    deleteRun: (runId) => request({ type: 'deleteRun', runId }),
    updateRun: (runId, change) =>
      request({
        type: 'updateRun',
        runId,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.tags === undefined ? {} : { tags: [...change.tags] }),
      }),
    close: () => socket.close(),
  };

  /** Sends a message that needs the token and is answered by `ack` (or an error naming why not). */
  async function request(
    body:
      | { type: 'control'; runId: string; command: WireCommand }
      | { type: 'deleteRun'; runId: string }
      | { type: 'updateRun'; runId: string; name?: string; tags?: string[] },
  ): Promise<void> {
    // A request made while (re)connecting waits for the connection, within the same timeout.
    const timeoutMs = options.requestTimeoutMs ?? 10_000;
    const status = await firstValueFrom(
      status$.pipe(
        filter((value) => value === 'open' || value === 'closed'),
        timeout({ first: timeoutMs, with: () => of('timeout' as const) }),
      ),
    );
    if (status !== 'open')
      throw new Error(`not connected (${status}): the ${body.type} request was not sent`);
    return new Promise<void>((resolve, reject) => {
      const requestId = `c${requestCounter++}`;
      const message = {
        ...body,
        requestId,
        ...(options.token === undefined ? {} : { token: options.token }),
      };
      if (!socket.send(message)) {
        reject(new Error(`not connected (status: ${status$.value}): the ${body.type} request was not sent`));
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(requestId);
        reject(new Error(`no answer from the server within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(requestId, { resolve, reject, timer });
    });
  }
}

/** The entries of `columns` whose `seq` is above `lastSeq` (its seqs increase), as columns. */
function stepsAfter(columns: StepColumns, lastSeq: number): StepColumns {
  const seqs = columns.seq;
  let from = 0;
  while (from < seqs.length && seqs[from]! <= lastSeq) from++;
  if (from === 0) return columns;
  const cut = (values: number | number[]): number | number[] =>
    typeof values === 'number' ? values : values.slice(from);
  const hyperparams: Record<string, number | number[]> = {};
  for (const name in columns.hyperparams) hyperparams[name] = cut(columns.hyperparams[name]!);
  return {
    seq: seqs.slice(from),
    time: cut(columns.time),
    step: cut(columns.step),
    epoch: cut(columns.epoch),
    batch: cut(columns.batch),
    loss: cut(columns.loss),
    gradNorm: cut(columns.gradNorm),
    learningRate: cut(columns.learningRate),
    hyperparams,
  };
}
