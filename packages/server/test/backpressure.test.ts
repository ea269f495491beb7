import { connect } from '@downhill/client';
import { fromStepColumns, mergeBySeq, SUBPROTOCOL } from '@downhill/protocol';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DownhillServer } from '../src/index.js';
import { expectContiguous, testServer, waitFor } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: (DownhillServer & { dir: string }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a client that stops reading', () => {
  it('neither holds the run back nor makes the server buffer more than its high-water mark plus one frame', async () => {
    const highWaterMark = 64 * 1024;
    server = await testServer({ highWaterMark, historyChunk: 500, maxBacklog: 5000, coalescePoints: 200 });
    // Enough events that live frames (step events in columns, ~70 bytes each) overflow the
    // loopback socket buffers of the stalled client and reach the high-water mark.
    const steps = 300_000;
    const attached = server.attach((control) => tinyRun({ steps, workMs: 0.001 }, control));
    const runId = await attached.runId;

    // A raw client that subscribes, then stops reading its socket.
    const stalled = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, SUBPROTOCOL);
    await new Promise((resolve) => stalled.once('open', resolve));
    const received: { phase: string; exact: boolean; events: { seq: number; type: string }[] }[] = [];
    stalled.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type !== 'events') return;
      const events = message.steps
        ? mergeBySeq(message.events, fromStepColumns(message.runId, message.steps))
        : message.events;
      received.push({ ...message, events });
    });
    stalled.send(JSON.stringify({ type: 'subscribe', runId }));
    // It stops reading once it has caught up with the run and gets live frames, however fast the
    // run: from then on every live frame it cannot take is skipped.
    await waitFor(() => received.some((batch) => batch.phase === 'live'), 30_000);
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

    const steady = connect(server.url);
    const steadyBatches = await lastValueFrom(steady.events(runId).pipe(toArray()));
    await attached.done;
    // The run finished while the stalled client still read nothing, and the reading client saw it
    // all: every event, or (had this loaded machine made it lag more than maxBacklog events too)
    // a catch-up marked inexact, never a silent gap.
    const steadyEvents = steadyBatches.flatMap((batch) => batch.events);
    const steadySeqs = steadyEvents.map((event) => event.seq);
    expect(steadySeqs).toEqual([...new Set(steadySeqs)].sort((a, b) => a - b));
    expect(steadyEvents.at(-1)?.type).toBe('end');
    if (steadyBatches.every((batch) => batch.exact)) {
      expectContiguous(steadyEvents);
      expect(steadyEvents).toHaveLength(steps + 2);
    }
    const stats = server.stats();
    expect(stats.skippedFrames).toBeGreaterThan(0);
    // What the server holds for the stalled socket: under the high-water mark plus one frame,
    // and frames are at most `historyChunk` (500) events.
    expect(stats.maxFrameBytes).toBeLessThan(500 * 400);
    expect(stats.maxBufferedAmount).toBeLessThanOrEqual(highWaterMark + stats.maxFrameBytes);

    // Once it reads again it catches up (coalesced: it missed far more than maxBacklog) and sees the end.
    (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => received.some((batch) => batch.events.some((event) => event.type === 'end')));
    const resync = received.filter((batch) => batch.phase === 'resync');
    expect(resync.length).toBeGreaterThan(0);
    expect(resync.some((batch) => !batch.exact)).toBe(true);
    const seqs = received.flatMap((batch) => batch.events.map((event) => event.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    stalled.close();
    steady.close();
  }, 90_000);
});
