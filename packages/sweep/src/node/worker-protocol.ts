import type { TrainEvent } from '@downhill/core';
import type { Config } from '../domain.js';
import type { TrialControl } from '../sweep.js';

/** The verdict slot (an Int32Array of one shared cell) after a worker sent an epoch event. */
export const VERDICT_WAITING = 0;
export const VERDICT_CONTINUE = 1;
export const VERDICT_STOP = 2;

/** What the sweep's thread sends a trial worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly token: number; readonly config: Config; readonly control: TrialControl }
  | { readonly type: 'stop'; readonly token: number };

/** What a trial worker sends back. */
export type FromWorker =
  | {
      readonly type: 'events';
      readonly token: number;
      readonly events: readonly TrainEvent[];
      /** The last event is an epoch event and the worker waits in the verdict slot for continue or stop. */
      readonly verdict: boolean;
    }
  | {
      readonly type: 'free';
      readonly token: number;
      readonly outcome: 'done' | 'stopped' | 'failed';
      readonly error?: string;
    };
