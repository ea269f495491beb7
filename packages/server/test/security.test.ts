import { SUBPROTOCOL } from '@downhill/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DownhillServer } from '../src/index.js';
import { testServer } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: DownhillServer & { dir: string };
let wsUrl: string;
beforeAll(async () => {
  server = await testServer();
  wsUrl = `${server.url.replace('http', 'ws')}/ws`;
  await server.attach((control) => tinyRun({ steps: 20, runId: 'known' }, control)).done;
  server.stats(); // the run is flushed within one tick
  await new Promise((resolve) => setTimeout(resolve, 120));
});
afterAll(() => server.close());

/** Opens a socket and resolves with a reader of its next messages (the welcome is consumed). */
async function open(options: WebSocket.ClientOptions = {}, protocol = SUBPROTOCOL) {
  const socket = new WebSocket(wsUrl, protocol, options);
  const inbox: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      if (inbox.length > 0) resolve(inbox.shift() as Record<string, unknown>);
      else waiting.push(resolve as (message: unknown) => void);
    });
  expect(await next()).toMatchObject({ type: 'welcome', protocol: SUBPROTOCOL, tokenRequired: true });
  return { socket, next };
}

function refusal(options: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, SUBPROTOCOL, options);
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

describe('upgrade checks', () => {
  it('refuses a page from a foreign Origin, and a foreign Host (DNS rebinding)', async () => {
    expect(await refusal({ origin: 'http://evil.example' })).toBe(403);
    expect(await refusal({ origin: 'null' })).toBe(403);
    expect(await refusal({ headers: { host: `attacker.example:${server.port}` } })).toBe(403);
  });

  it('accepts the origin the server itself serves, and clients without an Origin', async () => {
    const sameOrigin = await open({ origin: server.url });
    sameOrigin.socket.close();
    const { socket } = await open();
    socket.close();
  });

  it('closes a client that speaks another protocol version with 4001 and a reason', async () => {
    const socket = new WebSocket(wsUrl, 'downhill.v2');
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      socket.once('close', (closeCode, closeReason) => resolve([closeCode, String(closeReason)])),
    );
    expect(code).toBe(4001);
    expect(reason).toMatch(/downhill\.v2.*downhill\.v1/);
  });
});

describe('bad messages', () => {
  it('answers malformed JSON, unknown types and unknown runs with errors and keeps the connection', async () => {
    const { socket, next } = await open();
    socket.send('{"type": "subscribe", runId');
    expect(await next()).toMatchObject({ type: 'error', code: 'bad-json' });
    socket.send('{"type":"teleport","requestId":"r1"}');
    expect(await next()).toMatchObject({ type: 'error', code: 'unknown-type', requestId: 'r1' });
    socket.send(JSON.stringify({ type: 'subscribe', runId: 'no-such-run' }));
    expect(await next()).toMatchObject({ type: 'error', code: 'unknown-run', runId: 'no-such-run' });
    socket.send(JSON.stringify({ type: 'publishEvents', runId: 'known', events: [] }));
    expect(await next()).toMatchObject({ type: 'error', code: 'not-publisher' });
    socket.send(JSON.stringify({ type: 'ping', id: 7 }));
    expect(await next()).toEqual({ type: 'pong', id: 7 });
    socket.close();
  });

  it('answers every fuzzed frame with exactly one reply and never drops the connection', async () => {
    const { socket, next } = await open();
    const frame = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record({
          type: fc.constantFrom('subscribe', 'control', 'listRuns', 'publish', 'unsubscribe', 'hello', 'x'),
          runId: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('known'), fc.integer()),
          fromSeq: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 3 })),
          command: fc.anything({ maxDepth: 2 }),
        })
        .map((record) => JSON.stringify(record)),
    );
    let id = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        socket.send(text);
        // A ping after each frame: every reply before its pong belongs to the frame.
        const pingId = id++;
        socket.send(JSON.stringify({ type: 'ping', id: pingId }));
        const replies: Record<string, unknown>[] = [];
        for (;;) {
          const message = await next();
          if (message.type === 'pong' && message.id === pingId) break;
          replies.push(message);
        }
        expect(socket.readyState).toBe(WebSocket.OPEN);
        for (const reply of replies)
          expect(['error', 'events', 'runs', 'welcome', 'pong', 'ack']).toContain(reply.type);
      }),
      { numRuns: 300 },
    );
    socket.close();
  });

  it('answers an oversized frame with too-large, and closes one far over the limit with 1009, leaving others alone', async () => {
    const bystander = await open();
    const { socket, next } = await open();
    socket.send(JSON.stringify({ type: 'hello', client: 'x'.repeat(400 * 1024) }));
    expect(await next()).toMatchObject({ type: 'error', code: 'too-large' });
    socket.send(JSON.stringify({ type: 'ping', id: 2 }));
    expect(await next()).toEqual({ type: 'pong', id: 2 });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    bystander.socket.send(JSON.stringify({ type: 'ping', id: 1 }));
    expect(await bystander.next()).toEqual({ type: 'pong', id: 1 });
    bystander.socket.close();
  });

  it('refuses control and publishing without the token', async () => {
    const { socket, next } = await open();
    socket.send(
      JSON.stringify({ type: 'control', runId: 'known', command: { type: 'stop' }, token: 'wrong-token' }),
    );
    expect(await next()).toMatchObject({ type: 'error', code: 'unauthorized' });
    socket.send(JSON.stringify({ type: 'publish', runId: 'sneaky' }));
    expect(await next()).toMatchObject({ type: 'error', code: 'unauthorized' });
    socket.close();
  });
});
