import { SUBPROTOCOL, toStepColumns } from '@downhill/protocol';
import { describe, expect, it } from 'vitest';
import { connect, type EventBatch } from './connect.js';
import { decodeFrame } from './decode-frame.js';
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

/** A live frame as the server writes it: steps `stepSeqs` in columns, the other events whole. */
const columnFrame = (stepSeqs: number[], others: Record<string, unknown>[] = []) => ({
  type: 'events',
  runId: 'r',
  phase: 'live',
  exact: true,
  events: others,
  steps: toStepColumns(stepSeqs.map(step) as Parameters<typeof toStepColumns>[0]),
});
const epochAt = (seq: number) => ({
  type: 'epoch',
  runId: 'r',
  seq,
  time: seq,
  epoch: 0,
  step: seq,
  loss: 0.5,
});

describe('connect, step columns', () => {
  it('hands the columns over as they came to a listener that asks, and objects to the others', () => {
    FakeSocket.instances = [];
    const client = connect('ws://h:1/ws', { WebSocket: Fake });
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    const objects: EventBatch[] = [];
    const columns: EventBatch[] = [];
    client.events('r').subscribe((b) => objects.push(b));
    client.events('r', { stepColumns: true }).subscribe((b) => columns.push(b));
    socket.deliver(batch('history', [1, 2], true));
    // Steps 3, 4 and 6 in columns, an epoch event at seq 5 between them.
    socket.deliver(columnFrame([3, 4, 6], [epochAt(5)]));
    expect(objects.flatMap((b) => b.events.map((e) => `${e.type} ${e.seq}`))).toEqual([
      'step 1',
      'step 2',
      'step 3',
      'step 4',
      'epoch 5',
      'step 6',
    ]);
    expect(objects.every((b) => b.steps === undefined)).toBe(true);
    expect(objects[1]!.events[1]).toMatchObject({
      type: 'step',
      seq: 4,
      loss: 1 / 4,
      hyperparams: { learningRate: 0.1 },
    });
    expect(columns).toHaveLength(2);
    expect(columns[1]!.events.map((e) => e.seq)).toEqual([5]);
    expect(columns[1]!.steps).toEqual({
      seq: [3, 4, 6],
      time: [3, 4, 6],
      step: [2, 3, 5],
      epoch: 0,
      batch: 0,
      loss: [1 / 3, 1 / 4, 1 / 6],
      gradNorm: 1,
      learningRate: 0.1,
      hyperparams: { learningRate: 0.1 },
    });
    client.close();
  });

  it('never hands a step over twice: an overlapping frame is cut to its new entries', async () => {
    FakeSocket.instances = [];
    const client = connect('ws://h:1/ws', { WebSocket: Fake, initialDelayMs: 1 });
    const first = FakeSocket.instances[0]!;
    first.accept();
    const got: EventBatch[] = [];
    client.events('r', { stepColumns: true }).subscribe((b) => got.push(b));
    first.deliver(columnFrame([1, 2, 3]));
    first.close(1006, 'network');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = FakeSocket.instances[1]!;
    second.accept();
    expect(second.sent).toContainEqual({ type: 'subscribe', runId: 'r', fromSeq: 4 });
    second.deliver(columnFrame([2, 3, 4, 5]));
    second.deliver(columnFrame([5]));
    expect(got.map((b) => b.steps?.seq)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(got[1]!.steps!.loss).toEqual([1 / 4, 1 / 5]);
    expect(got[1]!.steps!.step).toEqual([3, 4]);
    client.close();
  });

  it('refuses a frame whose columns do not match, naming the column', () => {
    const frame = columnFrame([1, 2, 3]);
    const decoded = decodeFrame(JSON.stringify({ ...frame, steps: { ...frame.steps, loss: [1, 2] } }));
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? '' : decoded.error).toMatch(
      /invalid events message: steps: column loss has 2 values for 3 step events/,
    );
    // A frame without columns decodes as before.
    expect(decodeFrame(JSON.stringify(batch('live', [1])))).toMatchObject({
      ok: true,
      message: { events: [{ seq: 1 }] },
    });
  });
});

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
