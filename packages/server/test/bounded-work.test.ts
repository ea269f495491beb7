// What one connection may make the server do is bounded: a client that keeps asking and never
// reads is cut at `maxBuffered`, subscriptions per connection are capped, and `/events` answers in
// pages.
import { SUBPROTOCOL } from '@downhill/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DownhillServer } from '../src/index.js';
import { testServer, waitFor } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: (DownhillServer & { dir: string }) | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
  server = undefined;
});

/** A raw WebSocket client that keeps every message it reads. */
async function rawClient(
  url: string,
): Promise<{ socket: WebSocket; messages: { type: string; [key: string]: unknown }[] }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, SUBPROTOCOL);
  sockets.push(socket);
  const messages: { type: string; [key: string]: unknown }[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, messages };
}

async function finishedRuns(target: DownhillServer, count: number, meta: Record<string, unknown> = {}) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const run = target.attach((control) => tinyRun({ steps: 2 }, control), { ...meta, index: i });
    ids.push(await run.runId);
    await run.done;
  }
  return ids;
}

describe('a connection that floods requests and never reads', () => {
  it('is cut once its unread replies pass maxBuffered, while another client keeps its answers', async () => {
    const maxBuffered = 1 << 20;
    server = await testServer({ maxBuffered });
    // 40 runs with 12 KB of metadata each: every run list is about half a megabyte.
    await finishedRuns(server, 40, { note: 'x'.repeat(12_000) });
    const flooder = await rawClient(server.url);
    (flooder.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<void>((resolve) => flooder.socket.once('close', () => resolve()));
    const other = await rawClient(server.url);

    // 400 requests: 200 MB of replies, far beyond the loopback buffers and maxBuffered.
    for (let i = 0; i < 400 && flooder.socket.readyState === WebSocket.OPEN; i++) {
      flooder.socket.send(JSON.stringify({ type: 'listRuns', requestId: `flood-${i}` }));
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closed;
    const stats = server.stats();
    expect(stats.cutConnections).toBe(1);
    // Held for the flooder at most: maxBuffered plus the one reply that crossed it.
    expect(stats.maxBufferedAmount).toBeLessThanOrEqual(maxBuffered + stats.maxFrameBytes);

    // The other connection was never cut and still gets its answers.
    other.socket.send(JSON.stringify({ type: 'listRuns', requestId: 'mine' }));
    await waitFor(() => other.messages.some((m) => m.type === 'runs' && m.requestId === 'mine'));
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.stats().cutConnections).toBe(1);
  }, 120_000);
});

describe('subscriptions per connection', () => {
  it('are capped at 256: the next is refused as busy, and unsubscribing frees a place', async () => {
    server = await testServer();
    const ids = await finishedRuns(server, 258);
    const client = await rawClient(server.url);
    for (const runId of ids.slice(0, 257)) client.socket.send(JSON.stringify({ type: 'subscribe', runId }));
    await waitFor(() => client.messages.some((m) => m.type === 'error'), 30_000);
    const errors = client.messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'busy', runId: ids[256] });
    expect(String(errors[0]!.message)).toMatch(/at most 256 runs/);

    client.socket.send(JSON.stringify({ type: 'unsubscribe', runId: ids[0] }));
    client.socket.send(JSON.stringify({ type: 'subscribe', runId: ids[257] }));
    await waitFor(() => client.messages.some((m) => m.type === 'events' && m.runId === ids[257]), 30_000);
    expect(client.messages.filter((m) => m.type === 'error')).toHaveLength(1);
  }, 180_000);
});

describe('GET /api/runs/:id/events', () => {
  it('answers a long run in pages of 10,000 events, each naming where the next starts', async () => {
    server = await testServer();
    const run = server.attach((control) => tinyRun({ steps: 23_000 }, control));
    const runId = await run.runId;
    await run.done;
    const seqs: number[] = [];
    let from: number | undefined = 0;
    let pages = 0;
    while (from !== undefined) {
      const response = await fetch(`${server.url}/api/runs/${runId}/events?fromSeq=${from}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { next?: number; events: { seq: number }[] };
      pages++;
      expect(page.events.length).toBeLessThanOrEqual(10_000);
      seqs.push(...page.events.map((event) => event.seq));
      if (page.next !== undefined) expect(page.next).toBe(page.events.at(-1)!.seq + 1);
      from = page.next;
    }
    expect(pages).toBe(3);
    expect(seqs).toEqual(Array.from({ length: 23_002 }, (_, i) => i));
  }, 120_000);
});
