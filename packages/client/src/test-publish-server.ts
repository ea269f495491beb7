// Test plumbing: a real WebSocket server on loopback (an ephemeral port) that speaks the publishing
// part of the Downhill protocol (docs/protocol.md) and keeps what it is sent, so that publishRun's
// tests run over real sockets without depending on @downhill/server (which depends on this package).
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { TrainEvent } from '@downhill/core';
import { SUBPROTOCOL } from '@downhill/protocol';
import { WebSocketServer } from 'ws';

export interface PublishServer {
  readonly url: string;
  readonly port: number;
  /** The events stored, in `seq` order (what the server would answer `nextSeq` from). */
  readonly events: TrainEvent[];
  /** Drops every connection and stops listening, like a killed process. */
  kill(): Promise<void>;
}

/**
 * Stores what it is sent (gaps allowed, a `seq` it has ignored) and acknowledges each batch with
 * `acked`, as a real server does after its store commits. `events` may be the list of a server
 * that was killed, to start it again "from its store" (on `port`, the same URL).
 */
export async function startPublishServer(
  options: { port?: number; events?: TrainEvent[] } = {},
): Promise<PublishServer> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    path: '/ws',
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const events: TrainEvent[] = options.events ?? [];
  const nextSeq = (): number => (events.length === 0 ? 0 : events[events.length - 1]!.seq + 1);
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        runId: string;
        id?: number;
        events?: TrainEvent[];
      };
      if (message.type === 'publish') {
        socket.send(JSON.stringify({ type: 'published', runId: message.runId, nextSeq: nextSeq() }));
      } else if (message.type === 'publishEvents') {
        for (const event of message.events ?? []) if (event.seq >= nextSeq()) events.push(event);
        socket.send(JSON.stringify({ type: 'acked', runId: message.runId, seq: nextSeq() - 1 }));
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong', id: message.id }));
      }
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    events,
    kill: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
