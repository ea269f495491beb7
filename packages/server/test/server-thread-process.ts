// A server thread in its own process, as `downhill serve` runs it (default onError: print and
// exit 70), with a small heap: `server-thread-process.ts DIR HEAP_MB`. Prints `{"port":N}`.
import { startServerThread } from '../src/index.js';

const [dataDir, heapMb] = process.argv.slice(2);
if (!dataDir || !heapMb) throw new Error('usage: server-thread-process.ts DATA_DIR HEAP_MB');
const server = await startServerThread({
  port: 0,
  dataDir,
  token: 'test-token-0123456789',
  resourceLimits: { maxOldGenerationSizeMb: Number(heapMb) },
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
