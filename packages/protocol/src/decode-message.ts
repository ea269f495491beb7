import { type ZodType, z } from 'zod';
import { type ClientMessage, clientMessageSchema } from './client-message.js';
import type { ErrorCode } from './error-code.js';
import { type ServerMessage, serverMessageSchema } from './server-message.js';

/** The outcome of decoding one frame: the message, or why it was refused (ready for an `error` reply). */
export type Decoded<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly error: string; readonly requestId?: string };

function decodeWith<T>(schema: ZodType<T>, knownTypes: ReadonlySet<string>, text: string): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'bad-json', error: `frame is not JSON: ${(err as Error).message}` };
  }
  const record = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : undefined;
  const type = record ? (record as { type?: unknown }).type : undefined;
  const rawRequestId = record ? (record as { requestId?: unknown }).requestId : undefined;
  const requestId = typeof rawRequestId === 'string' && rawRequestId.length <= 100 ? rawRequestId : undefined;
  const withId = requestId === undefined ? {} : { requestId };
  if (record === undefined) {
    return { ok: false, code: 'invalid-message', error: 'a message must be a JSON object', ...withId };
  }
  if (typeof type !== 'string') {
    return { ok: false, code: 'invalid-message', error: 'field "type" must be a string', ...withId };
  }
  if (!knownTypes.has(type)) {
    const known = [...knownTypes].join(', ');
    return {
      ok: false,
      code: 'unknown-type',
      error: `unknown message type ${JSON.stringify(type.slice(0, 50))} (known: ${known})`,
      ...withId,
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'invalid-message',
      error: `invalid ${type} message: ${z.prettifyError(parsed.error)}`,
      ...withId,
    };
  }
  return { ok: true, message: parsed.data };
}

const clientTypes: ReadonlySet<ClientMessage['type']> = new Set([
  'hello',
  'listRuns',
  'unwatchRuns',
  'subscribe',
  'unsubscribe',
  'control',
  'publish',
  'publishEvents',
  'publishEventPart',
  'deleteRun',
  'updateRun',
  'ping',
] as const);
const serverTypes: ReadonlySet<ServerMessage['type']> = new Set([
  'welcome',
  'runs',
  'run',
  'events',
  'ack',
  'published',
  'acked',
  'runDeleted',
  'command',
  'error',
  'pong',
] as const);

/** Parses and validates a frame a client sent (the server's side). Never throws. */
export function decodeClientMessage(text: string): Decoded<ClientMessage> {
  return decodeWith(clientMessageSchema, clientTypes, text);
}

/** Parses and validates a frame the server sent (the client's side). Never throws. */
export function decodeServerMessage(text: string): Decoded<ServerMessage> {
  return decodeWith(serverMessageSchema, serverTypes, text);
}
