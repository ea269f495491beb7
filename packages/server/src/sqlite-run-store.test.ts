import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRunStore } from './sqlite-run-store.js';
import { newSummary } from './summarize-event.js';
import { rowOf, runEvents } from './test-events.js';

const dir = mkdtempSync(join(tmpdir(), 'downhill-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteRunStore: the tables in their own thread', () => {
  it('commits durably: a store opened again on the file reads every committed event', async () => {
    const file = join(dir, 'a.sqlite');
    const store = await SqliteRunStore.open(file);
    const events = runEvents('r', [3, 2, 1]);
    await store.commit([
      { summary: { ...newSummary('r', 'remote', {}, 5), lastSeq: 3 }, rows: events.map((e) => rowOf(e)) },
    ]);
    await store.close();
    const again = await SqliteRunStore.open(file, { readOnly: true });
    expect((await again.getRun('r'))?.lastSeq).toBe(3);
    expect((await again.readEvents('r', { fromSeq: 0 })).map((event) => event.text)).toEqual(
      events.map((event) => JSON.stringify(event)),
    );
    const index = await again.readStepIndex('r', 0, 3);
    expect([...index.losses]).toEqual([3, 2, 1]);
    await expect(again.saveRun(newSummary('x', 'local', {}, 0))).rejects.toThrow(/read-only/);
    await again.close();
  });

  it('names the file when it cannot be opened, and never creates a store for a reader', async () => {
    await expect(
      SqliteRunStore.open(join(dir, 'missing', 'runs.sqlite'), { readOnly: true }),
    ).rejects.toThrow(/no run store at .*missing\/runs.sqlite/);
    await expect(SqliteRunStore.open(dir, { readOnly: true })).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it("rejects a failed commit with SQLite's error and goes on serving reads", async () => {
    const store = await SqliteRunStore.open(join(dir, 'b.sqlite'));
    const events = runEvents('r', [1, 2]);
    await store.commit([{ summary: newSummary('r', 'local', {}, 0), rows: events.map((e) => rowOf(e)) }]);
    const bad = [
      { summary: newSummary('r', 'local', {}, 0), rows: [{ ...rowOf(events[0]!), seq: 2 ** 33 }] },
    ];
    await expect(store.commit(bad)).rejects.toThrow(/over the store's limit/);
    expect(await store.readEvents('r', { fromSeq: 0 })).toHaveLength(3);
    await store.close();
  });
});
