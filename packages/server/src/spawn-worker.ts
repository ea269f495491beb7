import { type ResourceLimits, Worker } from 'node:worker_threads';
import { workerEntry } from '@downhill/core/node';

/** Starts the worker whose entry is `name` (`server-worker`, `sqlite-store-worker`) beside this file. */
export function spawnWorker(name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const entry = workerEntry(import.meta.url, name);
  return new Worker(entry.url, {
    ...entry.options,
    workerData,
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
  });
}
