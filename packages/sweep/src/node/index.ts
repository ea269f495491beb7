export type { ThreadSweepOptions } from './thread-sweep.js';
export { threadSweep } from './thread-sweep.js';
export type { TrialFunction, TrialModule } from './trial-module.js';
