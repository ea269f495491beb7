import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunCommand, TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';
import { type Observable, Subject, Subscription } from 'rxjs';
import type { HubStats } from './run-hub.js';
import type { ServerOptions } from './server-options.js';
import type { AttachedRun } from './start-server.js';
import type { FromServerThread, ToServerThread } from './thread-messages.js';

/** Options of `startServerThread`: those of `startServer` (except `store`), plus two. */
export interface ServerThreadOptions extends Omit<ServerOptions, 'store'> {
  /**
   * How long (ms) the training thread gathers step events before it hands them to the server
   * thread in one message. Other events (start, end, status ...) go at once. Default 8.
   */
  readonly handoffMs?: number;
  /**
   * Nice value of the server thread (0-19; Linux only, where it is per thread). Default 10:
   * when every core is busy, the scheduler favours the training over serving it.
   */
  readonly nice?: number;
}

/** A Downhill server running in a worker thread, for runs trained on this thread. */
export interface DownhillServerThread {
  readonly url: string;
  readonly port: number;
  readonly token: string | undefined;
  /**
   * Trains a run on THIS thread and serves it from the server thread: as
   * `DownhillServer.attach`, but the storing, encoding and socket writes for every client happen
   * on the server thread, so clients cost the training almost nothing. Events cross to the server
   * thread in batches (see `handoffMs`); commands from the dashboard come back through `control`.
   */
  attach(
    build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
    meta?: Record<string, unknown>,
  ): AttachedRun;
  /** Every run, newest first. */
  runs(): Promise<RunSummary[]>;
  stats(): Promise<HubStats>;
  /** Stops live runs (recorded as `interrupted`), closes the server and ends its thread. */
  close(): Promise<void>;
}

interface ThreadRun {
  readonly commands: Subject<RunCommand>;
  readonly subscription: Subscription;
  readonly resolveId: (runId: string) => void;
  readonly rejectId: (err: Error) => void;
  readonly resolveStored: () => void;
}

/**
 * Starts the server (as `startServer` does, same options and defaults) in a worker thread and
 * resolves once it listens. Use it when runs train in this process: with `startServer` the
 * server's work for every client runs between training steps on the training thread; here it runs
 * beside it. Runs from other processes (`publishRun`) are served the same way by both.
 */
export function startServerThread(options: ServerThreadOptions = {}): Promise<DownhillServerThread> {
  const { handoffMs = 8, nice = 10, ...serverOptions } = options;
  if ('store' in options) {
    throw new TypeError(
      'startServerThread: a custom `store` cannot cross to the server thread; use startServer',
    );
  }
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) {
    throw new RangeError(`startServerThread: nice must be an integer from 0 to 19, got ${nice}`);
  }
  if (!(handoffMs >= 0 && handoffMs <= 1000)) {
    throw new RangeError(`startServerThread: handoffMs must be from 0 to 1000, got ${handoffMs}`);
  }
  const worker = spawnServerWorker({ options: serverOptions, nice });
  const post = (message: ToServerThread): void => worker.postMessage(message);
  const runs = new Map<number, ThreadRun>();
  const requests = new Map<number, { resolve: (value: never) => void; reject: (err: Error) => void }>();
  let nextKey = 0;
  let nextRequest = 0;
  let closed: (() => void) | undefined;
  let exited = false;

  const request = <T>(what: 'runs' | 'stats'): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error('startServerThread: the server thread has exited'));
        return;
      }
      const id = nextRequest++;
      requests.set(id, { resolve: resolve as (value: never) => void, reject });
      post({ type: 'request', id, what });
    });

  return new Promise<DownhillServerThread>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: FromServerThread) => {
      switch (message.type) {
        case 'ready':
          worker.off('error', reject);
          // A crash of the server thread leaves the training running, unserved; nothing waits forever.
          worker.on('error', () => {});
          worker.once('exit', () => {
            exited = true;
            for (const run of runs.values()) {
              run.rejectId(new Error('startServerThread: the server thread exited before the run started'));
              run.commands.complete();
              run.resolveStored();
            }
            runs.clear();
            for (const { reject } of requests.values()) {
              reject(new Error('startServerThread: the server thread has exited'));
            }
            requests.clear();
            closed?.();
          });
          resolve(handle(message));
          break;
        case 'failed': {
          const error: NodeJS.ErrnoException =
            message.name === 'RangeError' ? new RangeError(message.message) : new Error(message.message);
          if (message.code !== undefined) error.code = message.code;
          reject(error);
          break;
        }
        case 'run-id':
          runs.get(message.key)?.resolveId(message.runId);
          break;
        case 'run-rejected': {
          const run = runs.get(message.key);
          run?.subscription.unsubscribe();
          run?.rejectId(new Error(message.message));
          break;
        }
        case 'run-stored': {
          const run = runs.get(message.key);
          runs.delete(message.key);
          run?.commands.complete();
          run?.resolveStored();
          break;
        }
        case 'command':
          runs.get(message.key)?.commands.next(message.command);
          break;
        case 'response':
          requests.get(message.id)?.resolve(message.value as never);
          requests.delete(message.id);
          break;
        case 'closed':
          closed?.();
          break;
      }
    });
  });

  function handle(ready: Extract<FromServerThread, { type: 'ready' }>): DownhillServerThread {
    let closing: Promise<void> | undefined;
    return {
      url: ready.url,
      port: ready.port,
      token: ready.token,
      attach: (build, meta = {}) => attach(build, meta),
      runs: () => request<RunSummary[]>('runs'),
      stats: () => request<HubStats>('stats'),
      close: () => {
        closing ??= (async () => {
          // As `startServer`'s close: live runs stop; the server thread records them as interrupted.
          for (const run of runs.values()) run.subscription.unsubscribe();
          const threadExit = new Promise((done) => worker.once('exit', done));
          await new Promise<void>((done) => {
            closed = done;
            post({ type: 'close' });
          });
          await threadExit;
        })();
        return closing;
      },
    };
  }

  function attach(
    build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
    meta: Record<string, unknown>,
  ): AttachedRun {
    const key = nextKey++;
    const commands = new Subject<RunCommand>();
    let resolveId!: (runId: string) => void;
    let rejectId!: (err: Error) => void;
    const runId = new Promise<string>((res, rej) => {
      resolveId = res;
      rejectId = rej;
    });
    let resolveStored!: () => void;
    const done = new Promise<void>((res) => {
      resolveStored = res;
    });
    const subscription = new Subscription();
    runs.set(key, { commands, subscription, resolveId, rejectId, resolveStored });
    post({ type: 'run-open', key, meta });

    // Step events wait up to `handoffMs` and cross in one message: one structured clone per
    // batch instead of one message per event keeps the training thread's share small.
    let pending: TrainEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const handOff = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      post({ type: 'run-events', key, events });
    };
    let ended = false;
    const end = (message: ToServerThread): void => {
      if (ended) return;
      ended = true;
      handOff();
      post(message);
    };
    subscription.add(
      build(commands.asObservable()).subscribe({
        next: (event) => {
          // A controller attached to the event by `train()` sits under a symbol and is not cloned.
          pending.push(event);
          if (event.type !== 'step') handOff();
          else if (timer === undefined) {
            timer = setTimeout(handOff, handoffMs);
            timer.unref?.();
          }
        },
        error: (err: unknown) => end({ type: 'run-error', key, message: (err as Error).message }),
        complete: () => end({ type: 'run-complete', key }),
      }),
    );
    // Unsubscribing (detach, close, a refused run id) stops the training; the server thread
    // records the run as interrupted once it hears of it.
    subscription.add(() => end({ type: 'run-detach', key }));
    return { runId, done, detach: () => subscription.unsubscribe() };
  }
}

/**
 * The worker runs `server-worker.js` beside this file. Run from TypeScript sources (tests and
 * benchmarks use the `development` condition), it is a `.ts` file, which the worker can only load
 * with tsx registered first; the published `.js` build loads directly.
 */
function spawnServerWorker(workerData: unknown): Worker {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = new URL(`./server-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData });
  // `require.resolve` finds tsx's CommonJS build; its ES module build sits beside it.
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData, execArgv: ['--conditions=development'] });
}
