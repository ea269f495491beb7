// The entry of the server's worker thread (see `startServerThread`): a whole `startServer` whose
// in-process runs are fed by messages from the training thread.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent } from '@downhill/core';
import { Subject } from 'rxjs';
import type { ServerOptions } from './server-options.js';
import { type AttachedRun, startServer } from './start-server.js';
import type { FromServerThread, ToServerThread } from './thread-messages.js';

interface WorkerData {
  readonly options: ServerOptions;
  readonly nice: number;
}

const port = parentPort!;
const { options, nice } = workerData as WorkerData;
const post = (message: FromServerThread): void => port.postMessage(message);

// On Linux the nice value belongs to the thread, so this lowers the server's priority and leaves
// the training thread's alone: when the cores are busy, serving waits, not training.
if (nice > 0 && process.platform === 'linux') {
  try {
    setPriority(0, nice);
  } catch {
    // A sandbox may forbid it; the server works the same, only without the priority hint.
  }
}

try {
  const server = await startServer(options);
  const runs = new Map<number, { readonly events: Subject<TrainEvent>; readonly attached: AttachedRun }>();
  port.on('message', (message: ToServerThread) => {
    switch (message.type) {
      case 'run-open': {
        const { key } = message;
        const events = new Subject<TrainEvent>();
        const attached = server.attach((control) => {
          control.subscribe((command) => post({ type: 'command', key, command }));
          return events;
        }, message.meta);
        runs.set(key, { events, attached });
        attached.runId.then(
          (runId) => post({ type: 'run-id', key, runId }),
          (err: unknown) => post({ type: 'run-rejected', key, message: (err as Error).message }),
        );
        attached.done.then(() => {
          runs.delete(key);
          post({ type: 'run-stored', key });
        });
        break;
      }
      case 'run-events': {
        const events = runs.get(message.key)?.events;
        if (events) for (const event of message.events) events.next(event);
        break;
      }
      case 'run-complete':
        runs.get(message.key)?.events.complete();
        break;
      case 'run-error':
        runs.get(message.key)?.events.error(new Error(message.message));
        break;
      case 'run-detach':
        runs.get(message.key)?.attached.detach();
        break;
      case 'request':
        post({
          type: 'response',
          id: message.id,
          value: message.what === 'runs' ? server.runs() : server.stats(),
        });
        break;
      case 'close':
        server.close().then(() => {
          post({ type: 'closed' });
          port.close();
        });
        break;
    }
  });
  post({ type: 'ready', url: server.url, port: server.port, token: server.token });
} catch (err) {
  const error = err as NodeJS.ErrnoException;
  post({
    type: 'failed',
    name: error.name,
    message: error.message,
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
  });
  port.close();
}
