import {
  entryText,
  type LinkEntry,
  REDIS_PREFIX,
  type RedisRunKeys,
  type RunLinkHandlers,
  type RunLinkTransport,
  redisActiveKey,
  redisEntryId,
  redisRunKeys,
  redisRunsKey,
  wireCommandSchema,
} from '@downhill/protocol';
import { Redis, type RedisOptions } from 'ioredis';

/** Options of `redisTransport`. */
export interface RedisTransportOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`); or give `redis`. */
  readonly url?: string;
  /** ioredis options (a Unix socket `path`, TLS, password ...), merged over what `url` says. */
  readonly redis?: RedisOptions;
  /** Prefix of every key. Default `downhill:` (servers must use the same). */
  readonly prefix?: string;
  /**
   * A server marks the run `interrupted` when this trainer has not shown signs of life for this
   * many ms (it renews a key at a quarter of it). Default 10000.
   */
  readonly trainerTimeoutMs?: number;
}

/**
 * Appends a batch to the run's stream in order and stops at the first refusal that is not "ID
 * not above the last" (an event the stream already has: a resend), so that what Redis holds is
 * always a prefix of the run and the link resends from the first missing `seq`. One script, so
 * a refused entry (out of memory) is never followed by later ones that would make it look sent.
 */
const APPEND_SCRIPT = `
for i = 1, #ARGV, 2 do
  local reply = redis.pcall('XADD', KEYS[1], ARGV[i], 'e', ARGV[i + 1])
  if type(reply) == 'table' and reply.err and not string.find(reply.err, 'equal or smaller', 1, true) then
    return {(i - 1) / 2, reply.err}
  end
end
return {-1, ''}
`;

type AppendingRedis = Redis & {
  downhillAppend(key: string, ...args: string[]): Promise<[number, string]>;
};

/** Redis replies as ioredis gives them: `[id, [field, value, ...]]`. */
type StreamEntry = [id: string, fields: string[]];

/** The value of `name` in a stream entry's fields. */
function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** A refusal code for a Redis error: all of them may pass (memory freed, ACL fixed), so the link retries. */
function refusalCode(message: string): string {
  if (/^OOM/.test(message)) return 'busy';
  if (/NOAUTH|NOPERM|WRONGPASS/.test(message)) return 'unauthorized';
  return 'store-failed';
}

/**
 * The run link through Redis Streams, for `linkRun`: events go to the run's stream
 * (`downhill:run:<runId>:events`, entry ID `1-<seq>`), appended in order by one script per batch;
 * a resent event is refused by Redis as not above the last ID, which makes resends harmless.
 * The trainer claims its run by announcing it (`downhill:runs`, `downhill:active`) and learns
 * from the run's `acks` stream what a server has committed to its store (only that is
 * acknowledged), and reads commands from the run's `commands` stream. Redis being unreachable
 * never stops the training: ioredis reconnects, the link spools meanwhile and resends what is
 * unacknowledged on reconnect.
 */
export function redisTransport(options: RedisTransportOptions): RunLinkTransport {
  const prefix = options.prefix ?? REDIS_PREFIX;
  const trainerTimeoutMs = options.trainerTimeoutMs ?? 10_000;
  let writer: AppendingRedis | undefined;
  let reader: Redis | undefined;
  let handlers: RunLinkHandlers | undefined;
  let keys: RedisRunKeys | undefined;
  let closed = false;
  let isUp = false;
  let downReported = false;
  let lastError = 'connection lost';
  /** Bumped at every `up`: answers to requests of an earlier connection are dropped. */
  let generation = 0;
  let ackCursor: string | undefined;
  let commandCursor: string | undefined;
  let reading = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const connectionOptions: RedisOptions = {
    ...options.redis,
    // Nothing waits in ioredis's queue while Redis is unreachable: the link's spool keeps the
    // events, and sends what is unacknowledged once the connection is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  };
  const open = (extra: RedisOptions): Redis =>
    options.url === undefined
      ? new Redis({ ...connectionOptions, ...extra })
      : new Redis(options.url, { ...connectionOptions, ...extra });

  const down = (): void => {
    if (closed || downReported) return;
    downReported = true;
    isUp = false;
    handlers?.down(`Redis: ${lastError}`);
  };

  const readBack = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    while (!closed && reader && keys) {
      try {
        const reply = (await reader.xread(
          'BLOCK',
          5000,
          'STREAMS',
          keys.acks,
          keys.commands,
          ackCursor ?? '0-0',
          commandCursor ?? '0-0',
        )) as [string, StreamEntry[]][] | null;
        if (closed || !reply) continue;
        for (const [key, entries] of reply) {
          for (const [id, fields] of entries) {
            if (key === keys.acks) {
              ackCursor = id;
              const seq = Number(field(fields, 'seq'));
              if (Number.isInteger(seq)) handlers?.acked(seq);
              const code = field(fields, 'code');
              if (code !== undefined) handlers?.refused({ code, message: field(fields, 'message') ?? code });
            } else {
              commandCursor = id;
              receiveCommand(field(fields, 'c'));
            }
          }
        }
      } catch {
        if (closed) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    reading = false;
  };

  const receiveCommand = (text: string | undefined): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text ?? '');
    } catch {
      return;
    }
    const command = wireCommandSchema.safeParse(parsed);
    // A malformed command (written by something else than a Downhill server) is not the run's business.
    if (command.success) handlers?.command({ ...command.data, source: command.data.source ?? 'remote' });
  };

  const beat = (): void => {
    if (isUp && keys) writer?.set(keys.trainer, '1', 'PX', trainerTimeoutMs).catch(() => {});
  };

  return {
    needsText: true,
    start: (given) => {
      handlers = given;
      writer = open({}) as AppendingRedis;
      writer.defineCommand('downhillAppend', { numberOfKeys: 1, lua: APPEND_SCRIPT });
      writer.on('error', (err: Error) => {
        lastError = err.message;
      });
      writer.on('ready', () => {
        if (closed) return;
        generation++;
        isUp = true;
        downReported = false;
        handlers?.up();
      });
      writer.on('close', down);
      // The reader blocks on XREAD and waits for Redis by itself: its queue is on, and an XREAD
      // cut by a lost connection is sent again (ioredis would otherwise drop it unanswered).
      reader = open({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        autoResendUnfulfilledCommands: true,
      });
      reader.on('error', () => {});
      heartbeat = setInterval(beat, Math.max(50, trainerTimeoutMs / 4));
      heartbeat.unref?.();
    },
    attach: (runId, meta) => {
      if (!writer || !isUp) return;
      keys = redisRunKeys(prefix, runId);
      const at = generation;
      const first = ackCursor === undefined;
      writer
        .multi()
        .set(keys.trainer, '1', 'PX', trainerTimeoutMs)
        .set(keys.meta, JSON.stringify(meta ?? {}))
        .sadd(redisActiveKey(prefix), runId)
        .xadd(redisRunsKey(prefix), 'MAXLEN', '~', '10000', '*', 'run', runId)
        .xrevrange(keys.acks, '+', '-', 'COUNT', 1)
        .xrevrange(keys.commands, '+', '-', 'COUNT', 1)
        .exec()
        .then(
          (results) => {
            if (closed || at !== generation || !results) return;
            const lastAck = (results[4]?.[1] as StreamEntry[] | undefined)?.[0];
            const lastCommand = (results[5]?.[1] as StreamEntry[] | undefined)?.[0];
            if (first) {
              // Acks and commands from before this trainer started are not its own.
              ackCursor = lastAck?.[0] ?? '0-0';
              commandCursor = lastCommand?.[0] ?? '0-0';
            }
            const committed = lastAck ? Number(field(lastAck[1], 'seq')) : -1;
            handlers?.attached((Number.isInteger(committed) ? committed : -1) + 1);
            void readBack();
          },
          (err: Error) => {
            if (!closed && at === generation)
              handlers?.refused({ code: refusalCode(err.message), message: `Redis: ${err.message}` });
          },
        );
    },
    send: (_runId, entries: readonly LinkEntry[]) => {
      if (!writer || !keys || entries.length === 0) return;
      const args: string[] = [];
      for (const entry of entries) args.push(redisEntryId(entry.seq), entryText(entry));
      const at = generation;
      writer.downhillAppend(keys.events, ...args).then(
        ([failedAt, error]) => {
          if (failedAt < 0 || closed || at !== generation) return;
          handlers?.refused({
            code: refusalCode(error),
            message: `Redis refused event seq ${entries[failedAt]?.seq}: ${error}`,
          });
        },
        // The connection dropped: `down` follows, and after `up` the link sends again what is unacknowledged.
        () => {},
      );
    },
    close: () => {
      closed = true;
      clearInterval(heartbeat);
      writer?.disconnect();
      reader?.disconnect();
    },
  };
}
