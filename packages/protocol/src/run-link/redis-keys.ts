/**
 * Where a run's link lives in Redis: the keys the trainer's side (`@downhill/client/node`) and the
 * server's side of the Redis Streams run link both use, named once here.
 */
export interface RedisRunKeys {
  /** The run's events: one entry per event, ID `1-<seq>`, field `e` = the event's JSON. */
  readonly events: string;
  /** What the server side says back: `seq` (committed through it) or `code` + `message` (a refusal). */
  readonly acks: string;
  /** Commands for the run (stop, pause, set ...): field `c` = the command's JSON. */
  readonly commands: string;
  /** The run's `meta` as JSON, for a server that takes the run over. */
  readonly meta: string;
  /** Exists while the trainer is alive (it renews it): a server marks the run interrupted once it is gone. */
  readonly trainer: string;
  /** The consumer name of the server that owns the run (a lease it renews; another server takes over once it lapses). */
  readonly owner: string;
}

/** Default key prefix. */
export const REDIS_PREFIX = 'downhill:';

/** The stream of run announcements (`run`, `meta`): a trainer adds one each time it claims its run. */
export function redisRunsKey(prefix: string): string {
  return `${prefix}runs`;
}

/** The set of runs whose trainer claimed them and whose `end` is not yet stored. */
export function redisActiveKey(prefix: string): string {
  return `${prefix}active`;
}

export function redisRunKeys(prefix: string, runId: string): RedisRunKeys {
  const base = `${prefix}run:${runId}:`;
  return {
    events: `${base}events`,
    acks: `${base}acks`,
    commands: `${base}commands`,
    meta: `${base}meta`,
    trainer: `${base}trainer`,
    owner: `${base}owner`,
  };
}

/**
 * A stream entry ID for an event's `seq`: `1-<seq>`. Redis refuses an ID not above the stream's
 * last one, which makes a resent event a no-op; the `1-` is because Redis refuses `0-0`, and
 * seq 0 (the `start` event) must have an ID.
 */
export function redisEntryId(seq: number): string {
  return `1-${seq}`;
}
