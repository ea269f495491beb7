export type { DataParallelObjective, DataParallelOptions, ObjectiveFactory } from './data-parallel.js';
export { dataParallel } from './data-parallel.js';
