import type { SqliteTables } from './sqlite-tables.js';

// Calls from `SqliteRunStore` to its thread, and the answers; calls are answered in order.

export type StoreMethod =
  | 'listRuns'
  | 'getRun'
  | 'saveRun'
  | 'commit'
  | 'readEvents'
  | 'readEventsAt'
  | 'readStepIndex'
  | 'deleteRun'
  | 'markLiveRunsInterrupted'
  | 'close';

export interface ToStoreThread {
  readonly id: number;
  readonly method: StoreMethod & keyof SqliteTables;
  readonly args: readonly unknown[];
}

export type FromStoreThread =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: { message: string; code?: string } }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly value?: unknown;
      readonly error?: { message: string; code?: string };
    };
