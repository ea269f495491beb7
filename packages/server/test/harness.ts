// Helpers for the integration tests: a real server on a loopback port in a temp directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBatch } from '@downhill/client';
import type { TrainEvent } from '@downhill/core';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { type DownhillServer, type RunStore, type ServerOptions, startServer } from '../src/index.js';

export const TOKEN = 'test-token-0123456789';

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'downhill-server-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function testServer(options: ServerOptions = {}): Promise<DownhillServer & { dir: string }> {
  const { dir, remove } = tempDir();
  const server = await startServer({ port: 0, dataDir: dir, token: TOKEN, ...options });
  return {
    ...server,
    dir,
    close: async () => {
      await server.close();
      remove();
    },
  };
}

/** Every event of a run as a client receives it, until the run's `end`. */
export async function collectEvents(batches: Observable<EventBatch>): Promise<TrainEvent[]> {
  const all = await lastValueFrom(batches.pipe(toArray()));
  return all.flatMap((batch) => batch.events);
}

export function expectContiguous(events: readonly TrainEvent[]): void {
  events.forEach((event, index) => {
    if (event.seq !== index) throw new Error(`event ${index} has seq ${event.seq}`);
  });
}

/** The event as it looks after a trip through JSON (the symbol-keyed controller and undefined fields dropped). */
export function viaJson(events: readonly TrainEvent[]): unknown[] {
  return events.map((event) => JSON.parse(JSON.stringify(event)));
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every stored event of a run, parsed. */
export async function storedEvents(store: RunStore, runId: string): Promise<TrainEvent[]> {
  return (await store.readEvents(runId, { fromSeq: 0 })).map((event) => JSON.parse(event.text) as TrainEvent);
}
