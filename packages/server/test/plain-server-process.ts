// A server in its own process for the fault-injection tests: `plain-server-process.ts DIR PORT`.
// Prints `{"port":N}` once listening; on SIGTERM closes gracefully (a stop), on SIGKILL just dies.
import { startServer } from '../src/index.js';

const [dataDir, portText] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: plain-server-process.ts DATA_DIR [PORT]');
const server = await startServer({
  port: Number(portText ?? 0),
  dataDir,
  token: 'test-token-0123456789',
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
