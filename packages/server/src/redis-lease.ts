import type { Redis } from 'ioredis';

// A server owns each run it reads through a lease (a key holding its consumer name, with a TTL);
// these scripts take, renew and give it up atomically.

/** Takes the lease, or renews it: KEYS owner; ARGV consumer, ms. */
const TAKE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;
/** Lets the run go (its lease, and its place among active runs when `ARGV[3]` is 1): KEYS owner, active; ARGV consumer, runId, forget. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if ARGV[3] == '1' then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1`;
/**
 * The trainer is gone and everything it sent is committed (the stream is empty: it is trimmed at
 * each commit): the run is let go. Atomic, so that a trainer coming back (it sets its key before
 * announcing) is never missed. KEYS owner, trainer, events, active; ARGV consumer, runId.
 */
const RELEASE_IF_GONE = `
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('XLEN', KEYS[3]) > 0 then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SREM', KEYS[4], ARGV[2])
return 1`;

/** A connection with the lease scripts defined (`defineLeaseScripts`). */
export type ScriptedRedis = Redis & {
  downhillTake(owner: string, consumer: string, ms: number): Promise<number>;
  downhillRelease(
    owner: string,
    active: string,
    consumer: string,
    runId: string,
    forget: string,
  ): Promise<number>;
  downhillReleaseIfGone(
    owner: string,
    trainer: string,
    events: string,
    active: string,
    consumer: string,
    runId: string,
  ): Promise<number>;
};

/** Defines the lease scripts on `redis` as its commands `downhillTake`, `downhillRelease`, `downhillReleaseIfGone`. */
export function defineLeaseScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('downhillTake', { numberOfKeys: 1, lua: TAKE });
  redis.defineCommand('downhillRelease', { numberOfKeys: 2, lua: RELEASE });
  redis.defineCommand('downhillReleaseIfGone', { numberOfKeys: 4, lua: RELEASE_IF_GONE });
  return redis as ScriptedRedis;
}
