import type { TrainEvent } from '@downhill/core';
import { type ClientMessage, type ErrorCode, MAX_EVENT_BYTES, wireEventSchema } from '@downhill/protocol';
import type { Connection } from './connection.js';

/**
 * Takes one `publishEventPart` piece: undefined while the event is incomplete, then the event
 * (validated as any published event), or why the pieces are refused (out of order, too large,
 * not an event). One large event at a time per connection, at most `MAX_EVENT_BYTES`.
 */
export function addEventPart(
  connection: Connection,
  message: Extract<ClientMessage, { type: 'publishEventPart' }>,
): { readonly event: TrainEvent } | { readonly code: ErrorCode; readonly message: string } | undefined {
  const { runId, seq, part, parts, text } = message;
  const current = connection.parts;
  if (part === 0) connection.parts = { runId, seq, parts, texts: [], bytes: 0 };
  else if (!current || current.runId !== runId || current.seq !== seq || current.texts.length !== part) {
    connection.parts = undefined;
    return {
      code: 'invalid-message',
      message: `publishEventPart: part ${part} of seq ${seq} arrived out of order`,
    };
  }
  const assembling = connection.parts!;
  assembling.texts.push(text);
  assembling.bytes += text.length;
  if (assembling.bytes > MAX_EVENT_BYTES) {
    connection.parts = undefined;
    return { code: 'too-large', message: `event seq ${seq} is larger than ${MAX_EVENT_BYTES} bytes` };
  }
  if (assembling.texts.length < parts) return undefined;
  connection.parts = undefined;
  let json: unknown;
  try {
    json = JSON.parse(assembling.texts.join(''));
  } catch (err) {
    return {
      code: 'bad-json',
      message: `event seq ${seq}: its parts are not JSON: ${(err as Error).message}`,
    };
  }
  const parsed = wireEventSchema.safeParse(json);
  if (!parsed.success || parsed.data.seq !== seq) {
    const why = parsed.success
      ? `its seq is ${parsed.data.seq}, not ${seq}`
      : parsed.error.issues[0]?.message;
    return { code: 'invalid-message', message: `event seq ${seq} (in parts) is not a valid event: ${why}` };
  }
  return { event: parsed.data as TrainEvent };
}
