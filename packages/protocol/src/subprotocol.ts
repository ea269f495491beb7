/** The WebSocket subprotocol of this wire format. A new, incompatible format gets a new name. */
export const SUBPROTOCOL = 'downhill.v1';

/** Default TCP port of the server. */
export const DEFAULT_PORT = 4400;

/** Path of the WebSocket endpoint. */
export const WEBSOCKET_PATH = '/ws';

/**
 * Close codes the server uses (4000-4999 is the range RFC 6455 leaves to applications).
 * The close reason always says what was wrong in words.
 */
export const CloseCode = {
  /** The client offered no subprotocol or only ones the server does not speak. */
  unsupportedProtocol: 4001,
  /** The server is shutting down. */
  goingAway: 1001,
  /** A frame was larger than `MAX_PAYLOAD_BYTES` (set by the WebSocket layer). */
  messageTooBig: 1009,
  /** No pong arrived within two heartbeat intervals. */
  heartbeatTimeout: 4008,
} as const;

/** Largest frame the server accepts from a client, in bytes. Publishers send events in batches below it. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Largest single event a publisher may send (in `publishEventPart` pieces), in bytes of JSON. */
export const MAX_EVENT_BYTES = 64 * 1024 * 1024;
