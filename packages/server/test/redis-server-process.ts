// A server in its own process for the Redis fault tests: `redis-server-process.ts DIR REDIS`.
// Takes runs from Redis with a 1 s lease; prints `{"port":N}` once listening; SIGKILL just kills it.
import { startServer } from '../src/index.js';

const [dataDir, redis] = process.argv.slice(2);
if (!dataDir || !redis) throw new Error('usage: redis-server-process.ts DATA_DIR REDIS');
const server = await startServer({
  port: 0,
  dataDir,
  token: 'test-token-0123456789',
  redis: { url: redis, leaseMs: 1000 },
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
