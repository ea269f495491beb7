import type { EndReason } from '@downhill/core';

/**
 * Where a run stands: live (`running`, `paused`), ended with a core `EndReason`, or
 * `interrupted` (it was live when the process hosting it died, as the server reports it).
 */
export type RunStatus = 'running' | 'paused' | EndReason | 'interrupted';

/** True while a run can still emit events (and take commands). */
export function isLive(status: RunStatus): boolean {
  return status === 'running' || status === 'paused';
}
