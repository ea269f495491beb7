// The entry of the server's worker thread (see `startServerThread`): a whole server whose
// in-process runs reach it over the thread transport of the run link.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LinkEndpoint } from './live-run.js';
import type { ServerOptions } from './server-options.js';
import { startServerWithHub } from './start-server.js';
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
  const { server, hub } = await startServerWithHub(options);
  const endpoints = new Map<number, LinkEndpoint>();
  const endpointOf = (key: number): LinkEndpoint => {
    let endpoint = endpoints.get(key);
    if (!endpoint) {
      endpoint = {
        origin: 'local',
        attached: (_runId, nextSeq) => post({ type: 'link-attached', key, nextSeq }),
        acked: (_runId, seq) => post({ type: 'link-acked', key, seq }),
        command: (_runId, command) => post({ type: 'link-command', key, command }),
        refused: (_runId, code, message) => post({ type: 'link-refused', key, code, message }),
      };
      endpoints.set(key, endpoint);
    }
    return endpoint;
  };
  port.on('message', (message: ToServerThread) => {
    switch (message.type) {
      case 'link-claim':
        hub.claim(message.runId, endpointOf(message.key), message.meta);
        break;
      case 'link-events':
        hub.receive(
          message.runId,
          endpointOf(message.key),
          message.events.map((event) => ({ event })),
        );
        break;
      case 'link-close': {
        const endpoint = endpoints.get(message.key);
        endpoints.delete(message.key);
        if (endpoint) hub.release(endpoint);
        break;
      }
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
