export type { ErrorCode, RunStatus, RunSummary, WireCommand } from '@downhill/protocol';
export type { ClientOptions, DownhillClient, EventBatch, EventsOptions } from './connect.js';
export { connect } from './connect.js';
export type { PublishOptions } from './publish-run.js';
export { publishRun } from './publish-run.js';
export type { ConnectionStatus, SocketOptions } from './reconnecting-socket.js';
export type { WebSocketConstructor, WebSocketLike } from './web-socket-like.js';
export { webSocketUrl } from './web-socket-like.js';
