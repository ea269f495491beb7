import {
  type Decoded,
  decodeServerMessage,
  eventsSchema,
  type ServerMessage,
  type StepColumns,
  stepColumnsSchema,
} from '@downhill/protocol';

/** A decoded server frame, with an `events` frame's step columns as they came (see `decodeFrame`). */
export type DecodedFrame = Decoded<ServerMessage> & { readonly steps?: StepColumns };

/**
 * Decodes a server frame like `decodeServerMessage`, except that an `events` frame's `steps`
 * (step events in columns) are validated and handed back as they are, beside a message whose
 * `events` holds only the frame's other events: a listener that stores columns takes them without
 * an object per step, and the others get the merged events from `fromStepColumns`.
 */
export function decodeFrame(text: string): DecodedFrame {
  // Only frames that may carry columns take the second path (one JSON.parse either way).
  if (!text.includes('"steps"')) return decodeServerMessage(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return decodeServerMessage(text);
  }
  const record = json as { type?: unknown; steps?: unknown } | null;
  if (typeof record !== 'object' || record === null || record.type !== 'events' || record.steps === undefined)
    return decodeServerMessage(text);
  const { steps, ...rest } = record;
  const columns = stepColumnsSchema.safeParse(steps);
  const message = eventsSchema.safeParse(rest);
  if (!columns.success || !message.success) {
    const issues = [
      ...(columns.success ? [] : columns.error.issues.map((i) => ({ ...i, path: ['steps', ...i.path] }))),
      ...(message.success ? [] : message.error.issues),
    ];
    return {
      ok: false,
      code: 'invalid-message',
      error: `invalid events message: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    };
  }
  return { ok: true, message: message.data, steps: columns.data };
}
