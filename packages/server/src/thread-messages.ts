import type { RunCommand, TrainEvent } from '@downhill/core';
import type { ErrorCode, RunSummary } from '@downhill/protocol';
import type { HubStats } from './run-hub.js';

// Messages between `startServerThread` (the training thread) and the server's worker thread:
// the thread transport of the run link. Each attached run's link is named by a per-thread `key`.

export type ToServerThread =
  | {
      readonly type: 'link-claim';
      readonly key: number;
      readonly runId: string;
      readonly meta: Readonly<Record<string, unknown>> | undefined;
    }
  /** Events as they are (a structured clone; their JSON is made on the server thread). */
  | {
      readonly type: 'link-events';
      readonly key: number;
      readonly runId: string;
      readonly events: readonly TrainEvent[];
    }
  | { readonly type: 'link-close'; readonly key: number }
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
  | { readonly type: 'link-attached'; readonly key: number; readonly nextSeq: number }
  | { readonly type: 'link-acked'; readonly key: number; readonly seq: number }
  | { readonly type: 'link-command'; readonly key: number; readonly command: RunCommand }
  | {
      readonly type: 'link-refused';
      readonly key: number;
      readonly code: ErrorCode;
      readonly message: string;
    }
  | { readonly type: 'response'; readonly id: number; readonly value: RunSummary[] | HubStats }
  | { readonly type: 'closed' };
