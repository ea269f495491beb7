import { entryText, MAX_PAYLOAD_BYTES, type RunLinkTransport, type ServerMessage } from '@downhill/protocol';
import { ReconnectingSocket, type SocketOptions } from './reconnecting-socket.js';

/** Options of `webSocketTransport`. */
export interface WebSocketTransportOptions extends SocketOptions {
  /** The server's URL (`http://127.0.0.1:4400`). */
  readonly url: string;
  /** The launch token the server printed (omit when the server runs without one). */
  readonly token?: string;
}

/** Room left in a frame for the message around the events. */
const FRAME_ROOM = MAX_PAYLOAD_BYTES - 4096;

/**
 * The run link over WebSocket (`publish`, `publishEvents`, `publishEventPart` out; `published`,
 * `acked`, `command` and refusals back): batches become frames under the server's limit, and an
 * event larger than a frame (a `start` event with a large model's initial parameters) travels in
 * pieces. Reconnects by itself with backoff.
 */
export function webSocketTransport(options: WebSocketTransportOptions): RunLinkTransport {
  let socket: ReconnectingSocket | undefined;
  let claimed: string | undefined;
  const token = options.token === undefined ? {} : { token: options.token };
  return {
    needsText: true,
    start: (handlers) => {
      const onMessage = (message: ServerMessage): void => {
        switch (message.type) {
          case 'published':
            if (message.runId === claimed) handlers.attached(message.nextSeq);
            return;
          case 'acked':
            if (message.runId === claimed) handlers.acked(message.seq);
            return;
          case 'command':
            if (message.runId === claimed)
              handlers.command({ ...message.command, source: message.command.source ?? 'remote' });
            return;
          case 'error':
            if (message.runId === claimed || (message.runId === undefined && message.code === 'unauthorized'))
              handlers.refused({ code: message.code, message: message.message });
            return;
          default:
            return;
        }
      };
      socket = new ReconnectingSocket(options.url, options, {
        onOpen: () => handlers.up(),
        onMessage,
        onStatus: (status, detail) => {
          if (status === 'reconnecting') handlers.down(detail ?? 'connection lost');
          // `closed` without our `close()`: the server speaks another protocol version.
          else if (status === 'closed' && detail !== undefined)
            handlers.refused({ code: 'protocol', message: detail });
        },
      });
      socket.start();
    },
    attach: (runId, meta) => {
      claimed = runId;
      socket?.send({
        type: 'publish',
        runId,
        ...token,
        ...(meta === undefined ? {} : { meta: { ...meta } }),
      });
    },
    send: (runId, entries) => {
      if (!socket) return;
      const head = `{"type":"publishEvents","runId":${JSON.stringify(runId)},"events":[`;
      let batch: string[] = [];
      let size = 0;
      const flush = (): void => {
        if (batch.length > 0) socket!.sendText(`${head}${batch.join(',')}]}`);
        batch = [];
        size = 0;
      };
      for (const entry of entries) {
        const text = entryText(entry);
        if (text.length > FRAME_ROOM) {
          flush();
          sendInParts(socket, runId, entry.seq, text);
          continue;
        }
        if (size + text.length + 1 > FRAME_ROOM) flush();
        batch.push(text);
        size += text.length + 1;
      }
      flush();
    },
    close: () => socket?.close(),
  };
}

function sendInParts(socket: ReconnectingSocket, runId: string, seq: number, text: string): void {
  // Pieces of at most FRAME_ROOM / 2 characters: JSON escaping may double a piece's size.
  const piece = Math.floor(FRAME_ROOM / 2);
  const parts = Math.ceil(text.length / piece);
  for (let part = 0; part < parts; part++) {
    socket.send({
      type: 'publishEventPart',
      runId,
      seq,
      part,
      parts,
      text: text.slice(part * piece, (part + 1) * piece),
    });
  }
}
