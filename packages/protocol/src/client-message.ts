import { z } from 'zod';
import { boundedJsonRecord } from './bounded-json.js';
import { wireCommandSchema } from './wire-command.js';
import { wireEventSchema } from './wire-event.js';

const runId = z.string().min(1).max(200);
const requestId = z.string().max(100).optional();
const token = z.string().max(200).optional();

/** `hello`: optional; names the client (for logs). The server answers with `welcome`. */
export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  client: z.string().max(100).optional(),
});

/** `listRuns`: answered by `runs`; with `watch: true` the server then sends `run` on every change. */
export const listRunsSchema = z.strictObject({
  type: z.literal('listRuns'),
  requestId,
  watch: z.boolean().optional(),
});

/** `unwatchRuns`: stop the `run` updates that `listRuns` with `watch` started. */
export const unwatchRunsSchema = z.strictObject({ type: z.literal('unwatchRuns') });

/**
 * `subscribe`: the run's events with `seq >= fromSeq` (default 0: from the start) as `events`
 * messages, history first, then live batches. With `maxPoints`, a long history is downsampled
 * to about that many step events (min and max loss per bucket; the newest `maxPoints / 4` exact;
 * every non-step event kept); without it the history is exact.
 */
export const subscribeSchema = z.strictObject({
  type: z.literal('subscribe'),
  runId,
  fromSeq: z.number().int().nonnegative().optional(),
  maxPoints: z.number().int().min(16).max(1_000_000).optional(),
});

/** `unsubscribe`: no more events of that run. */
export const unsubscribeSchema = z.strictObject({ type: z.literal('unsubscribe'), runId });

/** `control`: a command for a live run; needs the launch token unless the server turned that off. Answered by `ack`. */
export const controlSchema = z.strictObject({
  type: z.literal('control'),
  runId,
  command: wireCommandSchema,
  token,
  requestId,
});

/**
 * `publish`: this connection trains `runId` in its own process and will send its events (the
 * trainer side of the run link). Needs the token. Answered by `published` with `nextSeq`: every
 * event below it is committed to the store, so a trainer that reconnects resends from there;
 * the server then forwards `command` messages for that run to this connection. `meta` is at most
 * 16 KiB of JSON nested at most 16 levels deep.
 */
export const publishSchema = z.strictObject({
  type: z.literal('publish'),
  runId,
  token,
  meta: boundedJsonRecord('meta').optional(),
});

/**
 * `publishEvents`: a batch of the published run's events, `seq` strictly increasing. Gaps are
 * allowed (operators such as `sampleSteps` drop events) and recorded; a `seq` the server already
 * has is ignored (a resend). Answered, once the store has committed them, by `acked`.
 */
export const publishEventsSchema = z.strictObject({
  type: z.literal('publishEvents'),
  runId,
  events: z.array(wireEventSchema).max(10_000),
});

/**
 * `publishEventPart`: one event too large for a frame (a `start` event carrying a large model's
 * initial parameters), sent as `parts` consecutive pieces of its JSON text, `part` counting from 0.
 * The server joins them (at most `MAX_EVENT_BYTES` in all) and takes the event as if it came
 * in `publishEvents`.
 */
export const publishEventPartSchema = z.strictObject({
  type: z.literal('publishEventPart'),
  runId,
  seq: z.number().int().nonnegative(),
  part: z.number().int().nonnegative(),
  parts: z.number().int().min(1).max(4096),
  text: z.string(),
});

/** `deleteRun`: removes a run that is not live, with its events, from the store. Needs the token; answered by `ack`. */
export const deleteRunSchema = z.strictObject({
  type: z.literal('deleteRun'),
  runId,
  token,
  requestId,
});

/** `updateRun`: renames a run or sets its tags. Needs the token; answered by `ack`, then a `run` update to watchers. */
export const updateRunSchema = z.strictObject({
  type: z.literal('updateRun'),
  runId,
  token,
  requestId,
  name: z.string().min(1).max(200).optional(),
  tags: z.array(z.string().min(1).max(60)).max(32).optional(),
});

/** `ping`: answered by `pong` with the same id (lets browsers, which cannot see WebSocket pings, detect a dead link). */
export const pingSchema = z.strictObject({ type: z.literal('ping'), id: z.number().int() });

/** Every message a client (a dashboard, a CLI, a remote trainer) may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  listRunsSchema,
  unwatchRunsSchema,
  subscribeSchema,
  unsubscribeSchema,
  controlSchema,
  publishSchema,
  publishEventsSchema,
  publishEventPartSchema,
  deleteRunSchema,
  updateRunSchema,
  pingSchema,
]);
export type ClientMessage = z.output<typeof clientMessageSchema>;
/** What a sender may put in a message (before decoding: NaN may be written as a number). */
export type ClientMessageInput = z.input<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
