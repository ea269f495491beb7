import type { RunCommand, TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';
import type { HubStats } from './run-hub.js';

// Messages between `startServerThread` (the training thread) and the server's worker thread.
// Runs are named by a per-thread `key` until the worker knows their run id.

export type ToServerThread =
  | { readonly type: 'run-open'; readonly key: number; readonly meta: Record<string, unknown> }
  | { readonly type: 'run-events'; readonly key: number; readonly events: readonly TrainEvent[] }
  | { readonly type: 'run-complete'; readonly key: number }
  | { readonly type: 'run-error'; readonly key: number; readonly message: string }
  | { readonly type: 'run-detach'; readonly key: number }
  | { readonly type: 'request'; readonly id: number; readonly what: 'runs' | 'stats' }
  | { readonly type: 'close' };

export type FromServerThread =
  | {
      readonly type: 'ready';
      readonly url: string;
      readonly port: number;
      readonly token: string | undefined;
    }
  | { readonly type: 'failed'; readonly name: string; readonly message: string; readonly code?: string }
  | { readonly type: 'run-id'; readonly key: number; readonly runId: string }
  | { readonly type: 'run-rejected'; readonly key: number; readonly message: string }
  | { readonly type: 'run-stored'; readonly key: number }
  | { readonly type: 'command'; readonly key: number; readonly command: RunCommand }
  | { readonly type: 'response'; readonly id: number; readonly value: RunSummary[] | HubStats }
  | { readonly type: 'closed' };
