import NodeWebSocket from 'ws';

/** The part of the WHATWG WebSocket that the client uses (browsers' `WebSocket` and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: the browser's global, or `ws` in Node. */
export type WebSocketConstructor = new (url: string, protocols: string | string[]) => WebSocketLike;

/**
 * The browser's WebSocket where there is one (browsers, Deno, Node 22+ workers), else `ws`
 * (Node 20 has no global WebSocket). In a browser bundle `ws` resolves to its browser stub,
 * which is never called.
 */
export function defaultWebSocket(): WebSocketConstructor {
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!isNode && global) return global;
  return NodeWebSocket as unknown as WebSocketConstructor;
}

/** `http://host:port` or `ws://host:port/ws` -> the WebSocket endpoint's URL. */
export function webSocketUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  else if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new Error(`server url must start with http:, https:, ws: or wss:, got ${JSON.stringify(url)}`);
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/ws';
  return parsed.toString();
}
