import { z } from 'zod';
import { errorCodeSchema } from './error-code.js';
import { runSummarySchema } from './run-summary.js';
import { fromStepColumns, mergeBySeq, stepColumnsSchema } from './step-columns.js';
import { wireCommandSchema } from './wire-command.js';
import { wireEventSchema } from './wire-event.js';

/** `welcome`: the first message on every connection. */
export const welcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  protocol: z.string(),
  server: z.string(),
  /** Whether `control` and `publish` need the launch token. */
  tokenRequired: z.boolean(),
  /** Interval of the server's WebSocket pings, in ms. */
  heartbeatMs: z.number(),
});

/** `runs`: the whole run list, newest first (the answer to `listRuns`). */
export const runsSchema = z.strictObject({
  type: z.literal('runs'),
  requestId: z.string().optional(),
  runs: z.array(runSummarySchema),
});

/** `run`: one run changed (new run, status change, new metrics at most a few times a second). */
export const runUpdateSchema = z.strictObject({ type: z.literal('run'), run: runSummarySchema });

/**
 * `events`: a batch of one run's events in `seq` order.
 * - `phase`: `history` (the answer to `subscribe`), `live` (batched per ~50 ms) or `resync`
 *   (catching up a client that read too slowly: the server stopped sending to it while its
 *   socket buffer was over the high-water mark, and sends what it missed once it drains);
 * - `exact`: `false` when step events were left out (downsampled history, or a resync that had
 *   to coalesce a long backlog); every non-step event is always sent;
 * - `complete`: the last `history` batch has it `true`;
 * - `steps`: step events in columns (see `stepColumnsSchema`), as live batches send them; decoding
 *   merges them with `events` by `seq`, so a decoded batch has every event in `events`.
 */
export const eventsSchema = z
  .strictObject({
    type: z.literal('events'),
    runId: z.string(),
    phase: z.enum(['history', 'live', 'resync']),
    exact: z.boolean(),
    complete: z.boolean().optional(),
    events: z.array(wireEventSchema),
    steps: stepColumnsSchema.optional(),
  })
  .transform(({ steps, ...message }) =>
    steps === undefined
      ? message
      : { ...message, events: mergeBySeq(message.events, fromStepColumns(message.runId, steps)) },
  );

/** `ack`: a `control` message was handed to the run (it takes effect at the next step boundary). */
export const ackSchema = z.strictObject({
  type: z.literal('ack'),
  runId: z.string(),
  requestId: z.string().optional(),
});

/**
 * `published`: the answer to `publish`; every event of the run with a `seq` below `nextSeq` is
 * committed to the store (the publisher may forget them), the others must be sent (again).
 */
export const publishedSchema = z.strictObject({
  type: z.literal('published'),
  runId: z.string(),
  nextSeq: z.number().int().nonnegative(),
});

/**
 * `acked`: to a publisher: every event of the run up to `seq` it sent is committed to the store
 * (the only acknowledgement there is: events waiting for the store's next write are not acked).
 */
export const ackedSchema = z.strictObject({
  type: z.literal('acked'),
  runId: z.string(),
  seq: z.number().int().min(-1),
});

/** `runDeleted`: to run-list watchers: the run was deleted. */
export const runDeletedSchema = z.strictObject({ type: z.literal('runDeleted'), runId: z.string() });

/** `command`: to a publisher: a control message for its run. */
export const commandSchema = z.strictObject({
  type: z.literal('command'),
  runId: z.string(),
  command: wireCommandSchema,
});

/** `error`: a message was refused; names the problem, echoes `requestId` when there was one. */
export const errorSchema = z.strictObject({
  type: z.literal('error'),
  code: errorCodeSchema,
  message: z.string(),
  requestId: z.string().optional(),
  runId: z.string().optional(),
});

/** `pong`: the answer to `ping`. */
export const pongSchema = z.strictObject({ type: z.literal('pong'), id: z.number().int() });

/** Every message the server sends. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  welcomeSchema,
  runsSchema,
  runUpdateSchema,
  eventsSchema,
  ackSchema,
  publishedSchema,
  ackedSchema,
  runDeletedSchema,
  commandSchema,
  errorSchema,
  pongSchema,
]);
export type ServerMessage = z.output<typeof serverMessageSchema>;
export type ServerMessageInput = z.input<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
/** The server message of a given `type`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
