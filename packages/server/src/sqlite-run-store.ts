import type { Worker } from 'node:worker_threads';
import type { RunSummary } from '@downhill/protocol';
import type { EventRange, RunStore, RunWrite, StepIndex, StoredEvent } from './run-store.js';
import { spawnWorker } from './spawn-worker.js';
import type { SqliteOptions } from './sqlite-tables.js';
import {
  type FromStoreThread,
  packWrites,
  type StoreMethod,
  type ToStoreThread,
} from './store-thread-messages.js';

export type { SqliteOptions as SqliteRunStoreOptions } from './sqlite-tables.js';

/**
 * `RunStore` on SQLite (one file, WAL journal, no setup): the default store. The database lives
 * in a thread of its own, so commits (each in the WAL before it resolves: it survives the
 * process's death) and long reads never hold
 * up the thread that serves sockets. A failed call rejects with SQLite's error and its `code`
 * (`SQLITE_FULL`, `SQLITE_READONLY` ...); the store stays usable for the calls that can succeed.
 */
export class SqliteRunStore implements RunStore {
  private readonly worker: Worker;
  private readonly calls = new Map<
    number,
    { resolve: (value: never) => void; reject: (err: Error) => void }
  >();
  private nextId = 0;
  private readonly ready: Promise<void>;
  private exited: Error | undefined;

  /** Opens the store and waits until the file is open (rejects naming the file when it cannot be). */
  static async open(file: string, options: SqliteOptions = {}): Promise<SqliteRunStore> {
    const store = new SqliteRunStore(file, options);
    await store.ready;
    return store;
  }

  /** @param file database file (its directory is created unless `readOnly`), or `:memory:`. */
  constructor(
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    this.worker = spawnWorker('sqlite-store-worker', { file, options });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (message: FromStoreThread) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed') reject(storeError(file, message.error));
        else {
          const call = this.calls.get(message.id);
          this.calls.delete(message.id);
          if (message.error) call?.reject(storeError(file, message.error));
          else call?.resolve(message.value as never);
        }
      });
      this.worker.on('error', (err) => reject(err));
      this.worker.on('exit', () => {
        this.exited ??= new Error(`the run store thread for ${file} has exited`);
        reject(this.exited);
        for (const call of this.calls.values()) call.reject(this.exited);
        this.calls.clear();
      });
    });
    // A store that never opened reports it from every call; nothing else waits on it unhandled.
    this.ready.catch(() => {});
  }

  private async call<T>(method: StoreMethod, args: unknown[] = [], transfer: ArrayBuffer[] = []): Promise<T> {
    await this.ready;
    if (this.exited) throw this.exited;
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.calls.set(id, { resolve: resolve as (value: never) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies ToStoreThread, transfer);
    });
  }

  listRuns(): Promise<RunSummary[]> {
    return this.call('listRuns');
  }
  getRun(runId: string): Promise<RunSummary | undefined> {
    return this.call('getRun', [runId]);
  }
  saveRun(summary: RunSummary): Promise<void> {
    return this.call('saveRun', [summary]);
  }
  commit(writes: readonly RunWrite[]): Promise<void> {
    const packed = packWrites(writes);
    const transfer = packed.flatMap((write) => [
      write.seqs.buffer,
      write.losses.buffer,
      write.ends.buffer,
    ]) as ArrayBuffer[];
    return this.call('commit', [packed], transfer);
  }
  readEvents(runId: string, range: EventRange): Promise<StoredEvent[]> {
    return this.call('readEvents', [runId, range]);
  }
  readEventsAt(runId: string, seqs: readonly number[]): Promise<StoredEvent[]> {
    return this.call('readEventsAt', [runId, seqs]);
  }
  readStepIndex(runId: string, fromSeq: number, toSeq: number): Promise<StepIndex> {
    return this.call('readStepIndex', [runId, fromSeq, toSeq]);
  }
  deleteRun(runId: string): Promise<boolean> {
    return this.call('deleteRun', [runId]);
  }
  markLiveRunsInterrupted(): Promise<number> {
    return this.call('markLiveRunsInterrupted');
  }

  async close(): Promise<void> {
    try {
      if (!this.exited) await this.call('close');
    } catch {
      // Closing a store that failed to open, or whose thread died, has nothing left to do.
    }
    await this.worker.terminate();
  }
}

function storeError(file: string, error: { message: string; code?: string }): Error {
  const wrapped: NodeJS.ErrnoException = new Error(`run store ${file}: ${error.message}`);
  if (error.code !== undefined) wrapped.code = error.code;
  return wrapped;
}
