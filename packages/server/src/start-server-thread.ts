import type { ResourceLimits } from 'node:worker_threads';
import type { RunCommand, TrainEvent } from '@downhill/core';
import type { RunLinkHandlers, RunLinkTransport, RunSummary } from '@downhill/protocol';
import type { Observable } from 'rxjs';
import { type AttachedRun, attachRun } from './attach-run.js';
import type { HubStats } from './run-hub.js';
import type { ServerOptions } from './server-options.js';
import { spawnWorker } from './spawn-worker.js';
import type { FromServerThread, ToServerThread } from './thread-messages.js';

/** Options of `startServerThread`: those of `startServer` (except `store` and `log`), plus two. */
export interface ServerThreadOptions extends Omit<ServerOptions, 'store' | 'log'> {
  /**
   * Nice value of the server thread (0-19; Linux only, where it is per thread). Default 10:
   * when every core is busy, the scheduler favours the training over serving it.
   */
  readonly nice?: number;
  /**
   * Called when the server thread dies of an uncaught error. Default: print the error on stderr
   * and end the process with exit code 70, so that a server that cannot serve never looks alive.
   */
  readonly onError?: (error: Error) => void;
  /**
   * Limits of the server thread's heap (Node's `Worker` `resourceLimits`, e.g.
   * `{ maxOldGenerationSizeMb: 512 }`): a server thread that would grow past them dies, reported
   * through `onError`, instead of taking the training's memory. Default: Node's.
   */
  readonly resourceLimits?: ResourceLimits;
}

/** A Downhill server running in a worker thread, for runs trained on this thread. */
export interface DownhillServerThread {
  readonly url: string;
  readonly port: number;
  readonly token: string | undefined;
  /**
   * Trains a run on THIS thread and serves it from the server thread: as
   * `DownhillServer.attach`, but the storing, encoding and socket writes for every client happen
   * on the server thread, so clients cost the training almost nothing. Events cross over the
   * thread transport of the run link (batched by the link's one policy); commands from the
   * dashboard come back through `control`.
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

/**
 * Starts the server (as `startServer` does, same options and defaults) in a worker thread and
 * resolves once it listens. Use it when runs train in this process: with `startServer` the
 * server's work for every client runs between training steps on the training thread; here it runs
 * beside it. Runs from other processes (`publishRun`) are served the same way by both.
 */
export function startServerThread(options: ServerThreadOptions = {}): Promise<DownhillServerThread> {
  const { nice = 10, onError = dieOf, resourceLimits, ...serverOptions } = options;
  if ('store' in options) {
    throw new TypeError(
      'startServerThread: a custom `store` cannot cross to the server thread; use startServer',
    );
  }
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) {
    throw new RangeError(`startServerThread: nice must be an integer from 0 to 19, got ${nice}`);
  }
  const worker = spawnWorker('server-worker', { options: serverOptions, nice }, resourceLimits);
  const post = (message: ToServerThread): void => worker.postMessage(message);
  const links = new Map<number, RunLinkHandlers>();
  const attached = new Set<AttachedRun>();
  const requests = new Map<number, { resolve: (value: never) => void; reject: (err: Error) => void }>();
  let nextKey = 0;
  let nextRequest = 0;
  let closed: (() => void) | undefined;
  let exited = false;
  let closing = false;

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

  const transport = (): RunLinkTransport => {
    const key = nextKey++;
    return {
      needsText: false,
      start: (handlers) => {
        links.set(key, handlers);
        queueMicrotask(() => {
          if (exited) handlers.down('the server thread has exited');
          else handlers.up();
        });
      },
      attach: (runId, meta) => post({ type: 'link-claim', key, runId, meta }),
      // A controller that `train()` attaches to an event sits under a symbol and is not cloned.
      send: (runId, entries) =>
        post({
          type: 'link-events',
          key,
          runId,
          events: entries.map((entry) => entry.event ?? (JSON.parse(entry.text!) as TrainEvent)),
        }),
      close: () => {
        links.delete(key);
        if (!exited) post({ type: 'link-close', key });
      },
    };
  };

  return new Promise<DownhillServerThread>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: FromServerThread) => {
      switch (message.type) {
        case 'ready': {
          worker.off('error', reject);
          let failed = false;
          worker.on('error', (error) => {
            failed = true;
            if (!closing) onError(error);
          });
          worker.once('exit', (code) => {
            exited = true;
            // A thread that ends by itself without an error event (process.exit in it) failed too.
            if (!closing && !failed) onError(new Error(`the server thread exited with code ${code}`));
            for (const handlers of links.values()) handlers.down('the server thread has exited');
            for (const { reject } of requests.values())
              reject(new Error('startServerThread: the server thread has exited'));
            requests.clear();
            closed?.();
          });
          resolve(handle(message));
          break;
        }
        case 'failed': {
          const error: NodeJS.ErrnoException =
            message.name === 'RangeError' ? new RangeError(message.message) : new Error(message.message);
          if (message.code !== undefined) error.code = message.code;
          reject(error);
          break;
        }
        case 'link-attached':
          links.get(message.key)?.attached(message.nextSeq);
          break;
        case 'link-acked':
          links.get(message.key)?.acked(message.seq);
          break;
        case 'link-command':
          links.get(message.key)?.command(message.command);
          break;
        case 'link-refused':
          links.get(message.key)?.refused({ code: message.code, message: message.message });
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
    let closingPromise: Promise<void> | undefined;
    const log = (message: string): void => console.error(message);
    return {
      url: ready.url,
      port: ready.port,
      token: ready.token,
      attach: (build, meta = {}) => {
        const run = attachRun(build, {
          transport: transport(),
          meta,
          target: `the server thread (${ready.url})`,
          log,
        });
        attached.add(run);
        run.done.then(() => attached.delete(run));
        return run;
      },
      runs: () => request<RunSummary[]>('runs'),
      stats: () => request<HubStats>('stats'),
      close: () => {
        closingPromise ??= (async () => {
          closing = true;
          // As `startServer`'s close: live runs stop; the server thread records them as interrupted.
          for (const run of attached) run.detach();
          if (exited) return;
          const threadExit = new Promise((done) => worker.once('exit', done));
          await new Promise<void>((done) => {
            closed = done;
            post({ type: 'close' });
          });
          await threadExit;
        })();
        return closingPromise;
      },
    };
  }
}

function dieOf(error: Error): void {
  process.stderr.write(`downhill: the server thread failed: ${error.stack ?? error.message}\n`);
  process.exit(70);
}
