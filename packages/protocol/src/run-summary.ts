import { z } from 'zod';
import { wireNumber } from './wire-number.js';

/**
 * Where a run stands. `interrupted`: the process that trained it went away before its `end`
 * event (the server died, or a remote trainer disconnected); a remote trainer that reconnects
 * makes it `running` again.
 */
export const runStatusSchema = z.enum(['running', 'paused', 'ended', 'interrupted']);
export type RunStatus = z.output<typeof runStatusSchema>;

/** One run in the server's run list: status, a configuration summary and the latest metrics. */
export const runSummarySchema = z.object({
  runId: z.string(),
  /** `spec.config.name` when the run has one, else the run id. */
  name: z.string(),
  status: runStatusSchema,
  /** Why the run ended (only when `status` is `ended`). */
  endReason: z.string().optional(),
  /** `local`: trained inside the server's process; `remote`: published by another process. */
  origin: z.enum(['local', 'remote']),
  /** Wall clock (ms since the epoch) when the server first saw the run, and its latest event. */
  startedAt: z.number(),
  updatedAt: z.number(),
  /** Highest `seq` stored (-1 before the first event). */
  lastSeq: z.number().int(),
  /** Summary of the `start` event's config: model, optimizer, data, sizes, seed, extra. */
  config: z.record(z.string(), z.unknown()),
  /** Caller-supplied metadata given when the run was attached or published. */
  meta: z.record(z.string(), z.unknown()),
  step: z.number().int(),
  epoch: z.number().int(),
  loss: wireNumber,
  /** Lowest finite step loss so far (absent before the first one). */
  bestLoss: wireNumber.optional(),
  validationLoss: wireNumber.optional(),
  learningRate: wireNumber,
  hyperparams: z.record(z.string(), wireNumber),
  /** `seq` numbers the publisher left out (operators that drop events leave gaps): recorded, not lost. */
  skippedSeqs: z.number().int().nonnegative().optional(),
  /** Labels a user gave the run (`updateRun`). */
  tags: z.array(z.string()).optional(),
});
export type RunSummary = z.output<typeof runSummarySchema>;
