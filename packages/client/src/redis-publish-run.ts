import type { RunCommand, TrainEvent } from '@downhill/core';
import { redactPassword } from '@downhill/protocol';
import type { Observable } from 'rxjs';
import { type LinkPublishOptions, publishOver } from './publish-over.js';
import { type RedisTransportOptions, redisTransport } from './redis-transport.js';

/** Options of `publishRunToRedis`. */
export interface RedisPublishOptions extends RedisTransportOptions, LinkPublishOptions {}

/**
 * `publishRun` through Redis Streams instead of a WebSocket to one server: the run's events go
 * to Redis, whichever Downhill server started with the same Redis (`downhill serve --redis URL`)
 * takes the run, stores it and shows it live; commands from any of its clients come back through
 * Redis. The same guarantees as `publishRun`: an event is acknowledged (and leaves the spool)
 * only once a server's store committed it; the training never waits for Redis or the servers.
 *
 * ```ts
 * publishRunToRedis((control) => train({ ...spec, control }), { url: 'redis://127.0.0.1:6379' });
 * ```
 */
export function publishRunToRedis(
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
  options: RedisPublishOptions,
): Observable<TrainEvent> {
  // Named in messages: never with its password.
  const target = options.url === undefined ? 'Redis' : redactPassword(options.url);
  return publishOver(build, { transport: redisTransport(options), target }, options);
}
