import { SUBPROTOCOL } from '@downhill/protocol';
import { describe, expect, it } from 'vitest';
import { connect, type EventBatch } from './connect.js';
import type { WebSocketConstructor, WebSocketLike } from './web-socket-like.js';

/** A WebSocket double: the test plays the server by calling `deliver` and reading `sent`. */
class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  protocol = SUBPROTOCOL;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string | string[],
  ) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}
const Fake = FakeSocket as unknown as WebSocketConstructor;

const step = (seq: number) => ({
  type: 'step',
  runId: 'r',
  seq,
  time: seq,
  step: seq - 1,
  epoch: 0,
  batch: 0,
  loss: 1 / seq,
  gradNorm: 1,
  learningRate: 0.1,
  hyperparams: { learningRate: 0.1 },
});
const batch = (phase: string, seqs: number[], complete = false) => ({
  type: 'events',
  runId: 'r',
  phase,
  exact: true,
  ...(complete ? { complete } : {}),
  events: seqs.map(step),
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('connect', () => {
  it('resumes after a reconnect from the last delivered seq, delivering nothing twice', async () => {
    FakeSocket.instances = [];
    const client = connect('http://127.0.0.1:4400', { WebSocket: Fake, initialDelayMs: 1 });
    const first = FakeSocket.instances[0]!;
    expect(first.url).toBe('ws://127.0.0.1:4400/ws');
    expect(first.protocols).toBe(SUBPROTOCOL);
    const batches: EventBatch[] = [];
    client.events('r').subscribe((b) => batches.push(b));
    first.accept();
    expect(first.sent).toContainEqual({ type: 'subscribe', runId: 'r', fromSeq: 0 });
    first.deliver(batch('history', [1, 2, 3], true));
    first.deliver(batch('live', [4, 5]));
    first.close(1006, 'network');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = FakeSocket.instances[1]!;
    second.accept();
    expect(second.sent).toContainEqual({ type: 'subscribe', runId: 'r', fromSeq: 6 });
    // A server that resends an overlap: the client drops what it already delivered.
    second.deliver(batch('history', [5, 6, 7], true));
    const seqs = batches.flatMap((b) => b.events.map((e) => e.seq));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches[0]).toMatchObject({ phase: 'history', complete: true });
    client.close();
  });

  it('shares one server subscription between two listeners and resubscribes from the older one', async () => {
    FakeSocket.instances = [];
    const client = connect('ws://h:1/ws', { WebSocket: Fake });
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    const a: number[] = [];
    const b: number[] = [];
    client.events('r').subscribe((x) => a.push(...x.events.map((e) => e.seq)));
    socket.deliver(batch('history', [1, 2], true));
    client.events('r', { fromSeq: 1 }).subscribe((x) => b.push(...x.events.map((e) => e.seq)));
    expect(socket.sent.at(-1)).toEqual({ type: 'subscribe', runId: 'r', fromSeq: 1 });
    socket.deliver(batch('history', [1, 2, 3], true));
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([1, 2, 3]);
    client.close();
  });

  it('resolves control on ack, rejects on error, and sends the token', async () => {
    FakeSocket.instances = [];
    const client = connect('http://h:1', { WebSocket: Fake, token: 'secret-token' });
    const socket = FakeSocket.instances[0]!;
    const accepted = client.control('r', { type: 'pause' });
    socket.accept();
    await tick();
    const request = socket.sent.at(-1)!;
    expect(request).toMatchObject({
      type: 'control',
      runId: 'r',
      token: 'secret-token',
      command: { type: 'pause' },
    });
    socket.deliver({ type: 'ack', runId: 'r', requestId: request.requestId });
    await expect(accepted).resolves.toBeUndefined();
    const refused = client.control('r', { type: 'set', name: 'learningRate', value: 2 });
    await tick();
    socket.deliver({
      type: 'error',
      code: 'run-ended',
      message: 'over',
      requestId: socket.sent.at(-1)!.requestId,
    });
    await expect(refused).rejects.toThrow(/run-ended: over/);
    client.close();
  });

  it('stops for good when the server speaks another protocol version', async () => {
    FakeSocket.instances = [];
    const client = connect('http://h:1', { WebSocket: Fake, initialDelayMs: 1 });
    const statuses: string[] = [];
    client.status$.subscribe((s) => statuses.push(s));
    FakeSocket.instances[0]!.accept();
    FakeSocket.instances[0]!.close(4001, 'unsupported protocol');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statuses).toEqual(['connecting', 'open', 'closed']);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('errors a stream for a run the server does not have, and completes one after its end event', async () => {
    FakeSocket.instances = [];
    const client = connect('http://h:1', { WebSocket: Fake });
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    const failure = new Promise((resolve) => client.events('nope').subscribe({ error: resolve }));
    socket.deliver({ type: 'error', code: 'unknown-run', message: 'no run', runId: 'nope' });
    expect(String(await failure)).toMatch(/unknown-run/);
    const completed = new Promise((resolve) =>
      client.events('r').subscribe({ complete: () => resolve(true) }),
    );
    socket.deliver({
      type: 'events',
      runId: 'r',
      phase: 'live',
      exact: true,
      events: [
        {
          type: 'end',
          runId: 'r',
          seq: 0,
          time: 1,
          reason: 'completed',
          step: 0,
          epoch: 0,
          params: [1],
          loss: null,
        },
      ],
    });
    expect(await completed).toBe(true);
    client.close();
  });
});
