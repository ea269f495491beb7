import type { RunCommand, TrainEvent } from '@downhill/core';
import { linkRun, type Spool } from '@downhill/protocol';
import { Observable, Subject } from 'rxjs';
import { type RedisTransportOptions, redisTransport } from './redis-transport.js';

/** Options of `publishRunToRedis`. */
export interface RedisPublishOptions extends RedisTransportOptions {
  /** Shown in the run list (`name`, host, command line ...). */
  readonly meta?: Record<string, unknown>;
  /** Where events wait until a server's store has committed them. Default: a `MemorySpool`; a `FileSpool` survives this process. */
  readonly spool?: Spool;
  /** After the run ends, how long to wait for the acknowledgement of its last event, in ms. Default 5000. */
  readonly finishTimeoutMs?: number;
  /** Where warnings go (Redis unreachable, back). Default `console.warn`. */
  readonly warn?: (message: string) => void;
}

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
  return new Observable<TrainEvent>((subscriber) => {
    const commands = new Subject<RunCommand>();
    const stop = linkRun(
      build(commands.asObservable()),
      {
        transport: redisTransport(options),
        // Named in messages: never with its password.
        target: options.url?.replace(/^(\w+:\/\/[^:@/]*:)[^@]*@/, '$1***@') ?? 'Redis',
        ...(options.spool === undefined ? {} : { spool: options.spool }),
        ...(options.meta === undefined ? {} : { meta: options.meta }),
        ...(options.finishTimeoutMs === undefined ? {} : { finishTimeoutMs: options.finishTimeoutMs }),
        ...(options.warn === undefined ? {} : { warn: options.warn }),
      },
      {
        next: (event) => subscriber.next(event),
        command: (command) => commands.next(command),
        done: (error) => {
          commands.complete();
          if (error) subscriber.error(error);
          else subscriber.complete();
        },
      },
    );
    return () => {
      stop();
      commands.complete();
    };
  });
}
