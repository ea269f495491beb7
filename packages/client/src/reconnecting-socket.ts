import {
  type ClientMessageInput,
  CloseCode,
  type ServerMessage,
  type StepColumns,
  SUBPROTOCOL,
} from '@downhill/protocol';
import { decodeFrame } from './decode-frame.js';
import {
  defaultWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
  webSocketUrl,
} from './web-socket-like.js';

/** Where a client's connection stands. `closed` is final (after `close()`, or a server that speaks another protocol). */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Connection options shared by `connect` and `publishRun`. */
export interface SocketOptions {
  /** A WebSocket constructor; default: the browser's, or `ws` in Node. */
  readonly WebSocket?: WebSocketConstructor;
  /** First reconnect delay in ms; it doubles per failed attempt (with jitter) up to `maxDelayMs`. Default 250. */
  readonly initialDelayMs?: number;
  /** Default 10000. */
  readonly maxDelayMs?: number;
  /** Application-level ping interval; no message for two intervals means the link is dead. Default 15000. */
  readonly pingMs?: number;
}

export interface SocketHandlers {
  onOpen(): void;
  /** `steps`: an `events` frame's step columns, then not merged into `message.events` (see `decodeFrame`). */
  onMessage(message: ServerMessage, steps?: StepColumns): void;
  onStatus(status: ConnectionStatus, detail?: string): void;
}

/**
 * One logical connection to the server that survives network failures: reconnects with
 * exponential backoff and jitter, validates every frame with the protocol's schemas, and
 * pings so that a dead link is noticed even where WebSocket pings are invisible (browsers).
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | undefined;
  private attempt = 0;
  private closedByUser = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private pingId = 0;
  private lastError: string | undefined;
  private readonly url: string;
  private readonly Impl: WebSocketConstructor;

  constructor(
    url: string,
    private readonly options: SocketOptions,
    private readonly handlers: SocketHandlers,
  ) {
    this.url = webSocketUrl(url);
    this.Impl = options.WebSocket ?? defaultWebSocket();
  }

  /** Opens the first connection (separate from the constructor so handlers may use the owner's fields). */
  start(): void {
    this.open();
  }

  get isOpen(): boolean {
    return this.socket !== undefined && this.socket.readyState === 1;
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /** Sends when open; returns false (and sends nothing) otherwise: callers resend state on `onOpen`. */
  send(message: ClientMessageInput): boolean {
    return this.sendText(JSON.stringify(message));
  }

  sendText(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(text);
    return true;
  }

  close(): void {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000, 'client closed');
    this.socket = undefined;
    this.handlers.onStatus('closed');
  }

  private open(): void {
    this.handlers.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: WebSocketLike;
    try {
      socket = new this.Impl(this.url, SUBPROTOCOL);
    } catch (err) {
      this.retry(err instanceof Error ? err.message : String(err));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.startPings();
      this.handlers.onStatus('open');
      this.handlers.onOpen();
    };
    socket.onmessage = ({ data }) => {
      this.lastHeard = Date.now();
      const decoded = decodeFrame(typeof data === 'string' ? data : String(data));
      if (decoded.ok) this.handlers.onMessage(decoded.message, decoded.steps);
      else
        this.handlers.onMessage({
          type: 'error',
          code: decoded.code,
          message: `from the server: ${decoded.error}`,
        });
    };
    socket.onerror = (event) => {
      // `onclose` follows and decides what to do; keep the cause (`ws` gives one, browsers do not).
      const message = (event as { message?: unknown } | undefined)?.message;
      if (typeof message === 'string' && message !== '') this.lastError = message;
    };
    socket.onclose = ({ code, reason }) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.pingTimer);
      if (this.closedByUser) return;
      if (code === CloseCode.unsupportedProtocol) {
        this.closedByUser = true;
        this.handlers.onStatus('closed', reason);
        return;
      }
      const cause = reason || this.lastError || `closed with code ${code}`;
      this.lastError = undefined;
      this.retry(cause);
    };
  }

  private retry(detail: string): void {
    if (this.closedByUser) return;
    this.handlers.onStatus('reconnecting', detail);
    const initial = this.options.initialDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 10_000;
    const delay = Math.min(max, initial * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private startPings(): void {
    const every = this.options.pingMs ?? 15_000;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      if (Date.now() - this.lastHeard > 2 * every) {
        // Dead link: drop it without waiting for a closing handshake that will never come.
        this.socket = undefined;
        socket.onclose = null;
        socket.close();
        clearInterval(this.pingTimer);
        this.retry('no answer to pings');
        return;
      }
      this.send({ type: 'ping', id: this.pingId++ });
    }, every);
    (this.pingTimer as { unref?: () => void }).unref?.();
  }
}
