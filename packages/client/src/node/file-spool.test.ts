import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainEvent } from '@downhill/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSpool } from './file-spool.js';

const dir = mkdtempSync(join(tmpdir(), 'downhill-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const step = (seq: number): TrainEvent => ({
  type: 'step',
  runId: 'r',
  seq,
  time: seq,
  step: seq,
  epoch: 0,
  batch: seq,
  loss: 1 / (seq + 1),
  gradNorm: 1,
  learningRate: 0.1,
  hyperparams: { learningRate: 0.1 },
});
const entry = (event: TrainEvent) => ({ seq: event.seq, event });
const seqs = (entries: { seq: number }[]) => entries.map((e) => e.seq);

describe('FileSpool', () => {
  it('keeps every event until acknowledged, reads back ranges from memory and from the file', () => {
    const path = join(dir, 'a', 'spool.jsonl');
    const spool = new FileSpool(path, { cacheBytes: 2000 });
    spool.append([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((seq) => entry(step(seq))));
    expect(spool.pending).toBe(10);
    expect(seqs(spool.read(3, 4, 1e9))).toEqual([3, 4, 5, 6]);
    // Old entries are no longer cached (2000 bytes): they come from the file, whole.
    expect(spool.read(0, 1, 1e9)[0]!.text).toBe(JSON.stringify(step(0)));
    spool.acknowledge(4);
    expect(spool.pending).toBe(5);
    expect(seqs(spool.read(0, 100, 1e9))).toEqual([5, 6, 7, 8, 9]);
    // A replayed seq is not written twice.
    spool.append([entry(step(9))]);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(10);
    spool.close(false);
    expect(existsSync(path)).toBe(true);
  });

  it('opened on what a killed process left, takes over its events, skipping a torn last line', () => {
    const path = join(dir, 'b.jsonl');
    const first = new FileSpool(path);
    first.append([0, 1, 2].map((seq) => entry(step(seq))));
    first.close(false);
    appendFileSync(path, JSON.stringify(step(3)).slice(0, 25)); // killed mid-write
    const second = new FileSpool(path);
    expect(second.lastSeq).toBe(2);
    expect(seqs(second.read(0, 100, 1e9))).toEqual([0, 1, 2]);
    second.append([2, 3, 4].map((seq) => entry(step(seq))));
    expect(seqs(second.read(0, 100, 1e9))).toEqual([0, 1, 2, 3, 4]);
    expect(JSON.parse(second.read(3, 1, 1e9)[0]!.text!)).toEqual(step(3));
    second.acknowledge(4);
    second.close(true);
    expect(existsSync(path)).toBe(false);
  });

  it('past its size limit drops step events only, and counts them', () => {
    const path = join(dir, 'c.jsonl');
    const spool = new FileSpool(path, { maxBytes: 1000 });
    const end: TrainEvent = { type: 'warning', runId: 'r', seq: 20, time: 0, message: 'kept' };
    spool.append([...Array.from({ length: 20 }, (_, seq) => entry(step(seq))), entry(end)]);
    expect(spool.dropped).toBeGreaterThan(10);
    const kept = spool.read(0, 100, 1e9);
    expect(kept.at(-1)!.seq).toBe(20);
    expect(statSync(path).size).toBeLessThan(1000 + 200);
    spool.close(false);
  });

  it('empties its file once everything in it is acknowledged and it has grown large', () => {
    const path = join(dir, 'd.jsonl');
    const spool = new FileSpool(path);
    const count = 100_000;
    for (let seq = 0; seq < count; seq += 1000)
      spool.append(Array.from({ length: 1000 }, (_, i) => entry(step(seq + i))));
    expect(statSync(path).size).toBeGreaterThan(16 * 1024 * 1024);
    spool.acknowledge(count - 1);
    expect(statSync(path).size).toBe(0);
    spool.append([entry(step(count - 1)), entry(step(count))]);
    expect(seqs(spool.read(0, 10, 1e9))).toEqual([count]);
    spool.close(false);
  });
});
