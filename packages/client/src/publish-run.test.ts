import type { RunCommand, TrainEvent } from '@downhill/core';
import { MAX_PAYLOAD_BYTES, SUBPROTOCOL } from '@downhill/protocol';
import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { publishRun } from './publish-run.js';
import { closedPort, startPublishServer } from './test-publish-server.js';
import type { WebSocketConstructor, WebSocketLike } from './web-socket-like.js';

class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  protocol = SUBPROTOCOL;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly frames: string[] = [];
  constructor() {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.frames.push(data);
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
  messages(): Record<string, unknown>[] {
    return this.frames.map((frame) => JSON.parse(frame));
  }
  publishedSeqs(): number[] {
    return this.messages()
      .filter((m) => m.type === 'publishEvents')
      .flatMap((m) => (m.events as TrainEvent[]).map((e) => e.seq));
  }
}
const Fake = FakeSocket as unknown as WebSocketConstructor;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function warning(seq: number, size = 10): TrainEvent {
  return { type: 'warning', runId: 'p', seq, time: seq, message: 'x'.repeat(size) };
}

describe('publishRun', () => {
  it('publishes, sends events in frames under the limit, and resends what the server lacks after a reconnect', async () => {
    FakeSocket.instances = [];
    const events = new Subject<TrainEvent>();
    const commands: RunCommand[] = [];
    const own: TrainEvent[] = [];
    publishRun(
      (control) => {
        control.subscribe((command) => commands.push(command));
        return events;
      },
      { url: 'http://h:1', token: 'secret-token', WebSocket: Fake, batchMs: 1, initialDelayMs: 1 },
    ).subscribe((event) => own.push(event));
    const first = FakeSocket.instances[0]!;
    first.accept();
    // Big events: three of them exceed one frame.
    for (let seq = 0; seq < 3; seq++) events.next(warning(seq, 100_000));
    expect(first.messages()[0]).toEqual({ type: 'publish', runId: 'p', token: 'secret-token' });
    first.deliver({ type: 'published', runId: 'p', nextSeq: 0 });
    await wait(5);
    expect(first.publishedSeqs()).toEqual([0, 1, 2]);
    for (const frame of first.frames) expect(frame.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(first.messages().filter((m) => m.type === 'publishEvents').length).toBeGreaterThan(1);

    // Commands for the run reach its control input.
    first.deliver({
      type: 'command',
      runId: 'p',
      command: { type: 'set', name: 'learningRate', value: 0.5 },
    });
    expect(commands).toEqual([{ type: 'set', name: 'learningRate', value: 0.5, source: 'remote' }]);

    // The connection drops; events go on; the new server has up to seq 1.
    first.close(1006, 'gone');
    for (let seq = 3; seq < 6; seq++) events.next(warning(seq));
    await wait(20);
    const second = FakeSocket.instances[1]!;
    second.accept();
    second.deliver({ type: 'published', runId: 'p', nextSeq: 2 });
    await wait(5);
    expect(second.publishedSeqs()).toEqual([2, 3, 4, 5]);
    expect(own.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    events.complete();
  });

  it('completes once the run ended and the server has taken its last events', async () => {
    FakeSocket.instances = [];
    const events = new Subject<TrainEvent>();
    let completed = false;
    publishRun(() => events, { url: 'http://h:1', WebSocket: Fake, batchMs: 1 }).subscribe({
      complete: () => {
        completed = true;
      },
    });
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    events.next(warning(0));
    socket.deliver({ type: 'published', runId: 'p', nextSeq: 0 });
    events.next(warning(1));
    events.complete();
    await wait(30);
    expect(socket.publishedSeqs()).toEqual([0, 1]);
    // Sent is not stored: it waits for the server to say it has seq 1 (the answer to its probe).
    expect(completed).toBe(false);
    expect(socket.messages().filter((m) => m.type === 'publish')).toEqual([
      { type: 'publish', runId: 'p' },
      { type: 'publish', runId: 'p' },
    ]);
    socket.deliver({ type: 'published', runId: 'p', nextSeq: 2 });
    await wait(30);
    expect(completed).toBe(true);
    expect(socket.readyState).toBe(3);
  });
});

/** A run of `count` warnings, one every `everyMs` (0: all at once); `onEvent` sees each as it goes out. */
function paced(count: number, everyMs: number, onEvent: (seq: number) => unknown = () => {}) {
  return new Observable<TrainEvent>((subscriber) => {
    let seq = 0;
    const emit = async () => {
      while (seq < count && !subscriber.closed) {
        const event = warning(seq++);
        subscriber.next(event);
        await onEvent(event.seq);
        if (everyMs > 0) await wait(everyMs);
      }
      subscriber.complete();
    };
    void emit();
  });
}

/** Subscribes and collects: every event passed through, and how it ended. */
function collect(events: Observable<TrainEvent>) {
  const own: TrainEvent[] = [];
  return new Promise<{ own: TrainEvent[]; error?: Error }>((resolve) => {
    events.subscribe({
      next: (event) => own.push(event),
      error: (error: Error) => resolve({ own, error }),
      complete: () => resolve({ own }),
    });
  });
}

describe('publishRun against a server on loopback', () => {
  const fast = { batchMs: 5, initialDelayMs: 20, maxDelayMs: 50, finishTimeoutMs: 400 };

  it('completes once the server has every event', async () => {
    const server = await startPublishServer();
    try {
      const { own, error } = await collect(publishRun(() => paced(200, 0), { url: server.url, ...fast }));
      expect(error).toBeUndefined();
      expect(own).toHaveLength(200);
      expect(server.events.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
    } finally {
      await server.kill();
    }
  });

  it('errors after the whole run when the server cannot be reached, naming the URL and the cause', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { own, error } = await collect(publishRun(() => paced(50, 0), { url, ...fast }));
    expect(own.map((event) => event.seq)).toEqual([...Array(50).keys()]);
    expect(error?.message).toBe(
      `publishRun: cannot reach the server at ${url} (connect ECONNREFUSED ${url.slice('http://'.length)}); none of the run's 50 events were stored`,
    );
  });

  it('errors after the whole run when the server dies mid-run, saying how far it got', async () => {
    const server = await startPublishServer();
    let killed: Promise<void> | undefined;
    const run = paced(120, 2, (seq) => {
      if (seq === 60) killed = server.kill();
      return killed;
    });
    const { own, error } = await collect(publishRun(() => run, { url: server.url, ...fast }));
    expect(own.map((event) => event.seq)).toEqual([...Array(120).keys()]);
    const match =
      /^publishRun: (\S+) acknowledged events up to seq (\d+) of 119; the other (\d+) of the run's 120 events were not stored \(last connection problem: (.+)\)$/.exec(
        error?.message ?? '',
      );
    expect(match, error?.message).not.toBeNull();
    const [, url, acknowledged, missing, problem] = match!;
    expect(url).toBe(server.url);
    // What it acknowledged, the server had; it had at most what was sent before it died.
    expect(Number(acknowledged)).toBeGreaterThan(0);
    expect(Number(acknowledged)).toBeLessThan(server.events.length);
    expect(server.events.length).toBeLessThanOrEqual(61);
    expect(Number(missing)).toBe(119 - Number(acknowledged));
    expect(problem).toMatch(/ECONNREFUSED|closed with code 1006/);
  });
});
