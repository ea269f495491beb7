import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/**
 * True when the module at `url` is the script node was started with (not imported by a test, nor
 * by a worker thread, which inherits `process.argv` and would otherwise run the script again).
 */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return isMainThread && script !== undefined && url === pathToFileURL(script).href;
}
