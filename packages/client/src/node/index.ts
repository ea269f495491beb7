// `@downhill/client/node`: the Node-only parts of the client (files, Redis).

export type { RedisRunKeys } from '@downhill/protocol';
export { REDIS_PREFIX, redisRunKeys } from '@downhill/protocol';
export type { RedisPublishOptions } from '../redis-publish-run.js';
export { publishRunToRedis } from '../redis-publish-run.js';
export type { RedisTransportOptions } from '../redis-transport.js';
export { redisTransport } from '../redis-transport.js';
export type { FileSpoolOptions } from './file-spool.js';
export { FileSpool } from './file-spool.js';
