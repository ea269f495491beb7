export type {
  ClientMessage,
  ClientMessageInput,
  ClientMessageType,
} from './client-message.js';
export {
  clientMessageSchema,
  controlSchema,
  helloSchema,
  listRunsSchema,
  pingSchema,
  publishEventsSchema,
  publishSchema,
  subscribeSchema,
  unsubscribeSchema,
  unwatchRunsSchema,
} from './client-message.js';
export type { Decoded } from './decode-message.js';
export { decodeClientMessage, decodeServerMessage } from './decode-message.js';
export type { ErrorCode } from './error-code.js';
export { errorCodeSchema } from './error-code.js';
export type { RunStatus, RunSummary } from './run-summary.js';
export { runStatusSchema, runSummarySchema } from './run-summary.js';
export type {
  ServerMessage,
  ServerMessageInput,
  ServerMessageOf,
  ServerMessageType,
} from './server-message.js';
export {
  ackSchema,
  commandSchema,
  errorSchema,
  eventsSchema,
  pongSchema,
  publishedSchema,
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
  MAX_PAYLOAD_BYTES,
  SUBPROTOCOL,
  WEBSOCKET_PATH,
} from './subprotocol.js';
export type { WireCommand } from './wire-command.js';
export { wireCommandSchema } from './wire-command.js';
export { asTrainEvent, wireEventSchema } from './wire-event.js';
export { wireNumber, wireNumbers } from './wire-number.js';
