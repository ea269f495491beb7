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
  it('claims the run, sends events in frames under the limit, a huge one in parts, and resends what the server lacks after a reconnect', async () => {
    FakeSocket.instances = [];
    const events = new Subject<TrainEvent>();
    const commands: RunCommand[] = [];
    const own: TrainEvent[] = [];
    const warnings: string[] = [];
    publishRun(
      (control) => {
        control.subscribe((command) => commands.push(command));
        return events;
      },
      {
        url: 'http://h:1',
        token: 'secret-token',
        WebSocket: Fake,
        initialDelayMs: 1,
        warn: (w) => warnings.push(w),
      },
    ).subscribe((event) => own.push(event));
    const first = FakeSocket.instances[0]!;
    first.accept();
    // Big events: three of them exceed one frame; a fourth exceeds any frame.
    for (let seq = 0; seq < 3; seq++) events.next(warning(seq, 100_000));
    events.next(warning(3, 600_000));
    expect(first.messages()[0]).toEqual({ type: 'publish', runId: 'p', token: 'secret-token' });
    first.deliver({ type: 'published', runId: 'p', nextSeq: 0 });
    await wait(30);
    expect(first.publishedSeqs()).toEqual([0, 1, 2]);
    for (const frame of first.frames) expect(frame.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(first.messages().filter((m) => m.type === 'publishEvents').length).toBeGreaterThan(1);
    const parts = first.messages().filter((m) => m.type === 'publishEventPart');
    expect(parts.length).toBeGreaterThan(2);
    expect(JSON.parse(parts.map((m) => m.text).join(''))).toEqual(warning(3, 600_000));

    // Commands for the run reach its control input.
    first.deliver({
      type: 'command',
      runId: 'p',
      command: { type: 'set', name: 'learningRate', value: 0.5 },
    });
    expect(commands).toEqual([{ type: 'set', name: 'learningRate', value: 0.5, source: 'remote' }]);

    // The connection drops (a warning, once); events go on; the new server has committed up to seq 1.
    first.close(1006, 'gone');
    for (let seq = 4; seq < 7; seq++) events.next(warning(seq));
    await wait(20);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /run link to http:\/\/h:1 is down \(gone\); training goes on, 4 event\(s\) waiting in memory/,
    );
    const second = FakeSocket.instances[1]!;
    second.accept();
    second.deliver({ type: 'published', runId: 'p', nextSeq: 2 });
    await wait(30);
    expect(second.publishedSeqs()).toEqual([2, 4, 5, 6]);
    expect(second.messages().some((m) => m.type === 'publishEventPart' && m.seq === 3)).toBe(true);
    expect(warnings[1]).toMatch(/is back; sending 5 event\(s\)/);
    expect(own.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    events.complete();
  });

  it('completes only once the server acknowledged the last event as committed', async () => {
    FakeSocket.instances = [];
    const events = new Subject<TrainEvent>();
    let completed = false;
    publishRun(() => events, { url: 'http://h:1', WebSocket: Fake }).subscribe({
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
    // Sent is not stored: it waits for `acked`.
    expect(completed).toBe(false);
    socket.deliver({ type: 'acked', runId: 'p', seq: 0 });
    await wait(10);
    expect(completed).toBe(false);
    socket.deliver({ type: 'acked', runId: 'p', seq: 1 });
    await wait(10);
    expect(completed).toBe(true);
    expect(socket.readyState).toBe(3);
  });

  it('keeps training through refusals that may pass (a wrong token, a store that failed) and claims the run again', async () => {
    FakeSocket.instances = [];
    const events = new Subject<TrainEvent>();
    const warnings: string[] = [];
    let failed: Error | undefined;
    publishRun(() => events, { url: 'http://h:1', WebSocket: Fake, warn: (w) => warnings.push(w) }).subscribe(
      {
        error: (error) => {
          failed = error;
        },
      },
    );
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    events.next(warning(0));
    socket.deliver({
      type: 'error',
      code: 'unauthorized',
      runId: 'p',
      message: 'publishing a run needs the token',
    });
    events.next(warning(1));
    await wait(400);
    expect(failed).toBeUndefined();
    expect(warnings[0]).toMatch(/unauthorized: publishing a run needs the token/);
    const claims = socket.messages().filter((m) => m.type === 'publish');
    expect(claims.length).toBeGreaterThanOrEqual(2);
    socket.deliver({ type: 'published', runId: 'p', nextSeq: 0 });
    await wait(30);
    expect(socket.publishedSeqs()).toEqual([0, 1]);
    socket.deliver({ type: 'error', code: 'store-failed', runId: 'p', message: 'disk full' });
    await wait(400);
    socket.deliver({ type: 'published', runId: 'p', nextSeq: 1 });
    await wait(30);
    expect(socket.publishedSeqs()).toEqual([0, 1, 1]);
    // A run someone else trains is a real error.
    socket.deliver({ type: 'error', code: 'conflict', runId: 'p', message: 'taken over' });
    await wait(10);
    expect(failed?.message).toMatch(/refused run p: taken over/);
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
  const fast = { initialDelayMs: 20, maxDelayMs: 50, finishTimeoutMs: 400, warn: () => {} };

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
      `${url} acknowledged no event; 50 of the run's events were not stored (connect ECONNREFUSED ${url.slice('http://'.length)})`,
    );
  });

  it('loses nothing when the server dies mid-run and comes back on the same port', async () => {
    let server = await startPublishServer();
    const { port, events } = server;
    let restarted: Promise<void> | undefined;
    const run = paced(300, 1, (seq) => {
      if (seq === 100)
        restarted = server.kill().then(async () => {
          await wait(150);
          server = await startPublishServer({ port, events });
        });
      return undefined;
    });
    const { own, error } = await collect(
      publishRun(() => run, { url: server.url, ...fast, finishTimeoutMs: 5000 }),
    );
    await restarted;
    expect(error).toBeUndefined();
    expect(own).toHaveLength(300);
    expect(events.map((event) => event.seq)).toEqual([...Array(300).keys()]);
    await server.kill();
  });
});
