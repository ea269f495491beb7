// publishRunToRedis with Redis unreachable: the run goes on, one warning says so, and the end
// names what was not stored without the URL's password. (With a real redis-server and a server,
// see @downhill/server's test/redis-link.test.ts and test/redis-faults.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainEvent } from '@downhill/core';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { publishRunToRedis } from './redis-publish-run.js';
import { closedPort } from './test-publish-server.js';

function warnings(runId: string, count: number): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    for (let seq = 0; seq < count; seq++)
      subscriber.next({ type: 'warning', runId, seq, time: seq, message: 'x' });
    subscriber.complete();
  });
}

describe('publishRunToRedis', () => {
  it('trains on while Redis is unreachable, warns once, and errors at the end naming what is missing, never the password', async () => {
    const port = await closedPort();
    const seen: TrainEvent[] = [];
    const warned: string[] = [];
    const error = await new Promise<Error>((resolve, reject) => {
      publishRunToRedis(() => warnings('unreachable', 5), {
        url: `redis://:s3cret@127.0.0.1:${port}`,
        finishTimeoutMs: 300,
        warn: (message) => warned.push(message),
      }).subscribe({
        next: (event) => seen.push(event),
        error: resolve,
        complete: () => reject(new Error('completed without Redis')),
      });
    });
    expect(seen.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(error.message).toBe(
      `redis://:***@127.0.0.1:${port} acknowledged no event; 5 of the run's events were not stored (Redis: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(warned).toHaveLength(1);
    expect(warned[0]).not.toContain('s3cret');
  });

  it('a Unix socket path is a URL too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-redis-'));
    try {
      const socket = join(dir, 'none.sock');
      const error = await new Promise<Error>((resolve) => {
        publishRunToRedis(() => warnings('socket', 2), {
          url: socket,
          finishTimeoutMs: 200,
          warn: () => {},
        }).subscribe({
          error: resolve,
        });
      });
      expect(error.message).toContain(
        `${socket} acknowledged no event; 2 of the run's events were not stored`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
