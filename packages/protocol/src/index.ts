export { jsonBoundsProblem, MAX_JSON_CHARS, MAX_JSON_DEPTH } from './bounded-json.js';
export type {
  ClientMessage,
  ClientMessageInput,
  ClientMessageType,
} from './client-message.js';
export {
  clientMessageSchema,
  controlSchema,
  deleteRunSchema,
  helloSchema,
  listRunsSchema,
  pingSchema,
  publishEventPartSchema,
  publishEventsSchema,
  publishSchema,
  subscribeSchema,
  unsubscribeSchema,
  unwatchRunsSchema,
  updateRunSchema,
} from './client-message.js';
export type { Decoded } from './decode-message.js';
export { decodeClientMessage, decodeServerMessage } from './decode-message.js';
export type { ErrorCode } from './error-code.js';
export { errorCodeSchema } from './error-code.js';
export { redactPassword } from './redact-password.js';
export type { LinkRunCallbacks, LinkRunOptions, TrainEventSource } from './run-link/link-run.js';
export { linkRun } from './run-link/link-run.js';
export type { MemorySpoolOptions } from './run-link/memory-spool.js';
export { isStep, MemorySpool } from './run-link/memory-spool.js';
export type { RedisRunKeys } from './run-link/redis-keys.js';
export {
  REDIS_PREFIX,
  redisActiveKey,
  redisEntryId,
  redisRunKeys,
  redisRunsKey,
} from './run-link/redis-keys.js';
export type {
  LinkEntry,
  LinkRefusal,
  RunLinkHandlers,
  RunLinkTransport,
  Spool,
} from './run-link/run-link.js';
export { entrySize, entryText, LINK_BATCH_POLICY } from './run-link/run-link.js';
export type { RunStatus, RunSummary } from './run-summary.js';
export { runStatusSchema, runSummarySchema } from './run-summary.js';
export type {
  ServerMessage,
  ServerMessageInput,
  ServerMessageOf,
  ServerMessageType,
} from './server-message.js';
export {
  ackedSchema,
  ackSchema,
  commandSchema,
  errorSchema,
  eventsSchema,
  pongSchema,
  publishedSchema,
  runDeletedSchema,
  runsSchema,
  runUpdateSchema,
  serverMessageSchema,
  welcomeSchema,
} from './server-message.js';
export type { StepColumns } from './step-columns.js';
export {
  fromStepColumns,
  isColumnarStep,
  mergeBySeq,
  splitColumnarSteps,
  stepColumnsSchema,
  toStepColumns,
} from './step-columns.js';
export {
  CloseCode,
  DEFAULT_PORT,
  MAX_EVENT_BYTES,
  MAX_PAYLOAD_BYTES,
  SUBPROTOCOL,
  WEBSOCKET_PATH,
} from './subprotocol.js';
export type { WireCommand } from './wire-command.js';
export { wireCommandSchema } from './wire-command.js';
export { asTrainEvent, wireEventSchema } from './wire-event.js';
export { wireNumber, wireNumbers } from './wire-number.js';
