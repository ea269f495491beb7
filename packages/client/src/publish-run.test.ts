import type { RunCommand, TrainEvent } from '@downhill/core';
import { MAX_PAYLOAD_BYTES, SUBPROTOCOL } from '@downhill/protocol';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { publishRun } from './publish-run.js';
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
    expect(completed).toBe(true);
    expect(socket.readyState).toBe(3);
  });
});
