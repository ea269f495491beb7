// A server in its own process, for the kill-and-restart test: serves one run that finishes and
// one that goes on until the process is killed. Prints the port once listening.
import { startServer } from '../src/index.js';
import { tinyRun } from './tiny-training.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: server-process.ts DATA_DIR');
const server = await startServer({ port: 0, dataDir, token: 'test-token-0123456789' });
const finished = server.attach((control) => tinyRun({ steps: 200, runId: 'finished-run' }, control));
await finished.done;
server.attach((control) => tinyRun({ steps: 10_000_000, runId: 'live-run', workMs: 0.2 }, control));
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
