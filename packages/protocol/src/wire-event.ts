import type { RunConfig, TrainEvent } from '@downhill/core';
import { z } from 'zod';
import { wireNumber, wireNumbers } from './wire-number.js';

const base = {
  runId: z.string().min(1).max(200),
  seq: z.number().int().nonnegative(),
  time: wireNumber,
};

const description = z.looseObject({ name: z.string() });
// JSON drops `undefined` fields; decoding puts them back so the result is a RunConfig.
const optionalNumber = z
  .number()
  .nullable()
  .optional()
  .transform((value) => value ?? undefined);

const runConfig = z
  .object({
    model: description.optional(),
    optimizer: description,
    data: description.optional(),
    batchSize: optionalNumber,
    samples: optionalNumber,
    batchesPerEpoch: optionalNumber,
    parameterCount: z.number(),
    seed: z.number(),
    epochs: optionalNumber,
    steps: optionalNumber,
    validationSamples: optionalNumber,
    settable: z.array(z.string()).optional(),
    extra: z.record(z.string(), z.unknown()),
  })
  .transform(
    (config): RunConfig => ({
      model: config.model,
      optimizer: config.optimizer,
      data: config.data,
      batchSize: config.batchSize,
      samples: config.samples,
      batchesPerEpoch: config.batchesPerEpoch,
      parameterCount: config.parameterCount,
      seed: config.seed,
      epochs: config.epochs,
      steps: config.steps,
      validationSamples: config.validationSamples,
      ...(config.settable === undefined ? {} : { settable: config.settable }),
      extra: config.extra,
    }),
  );

/** Runtime schema of one `TrainEvent` (see `@downhill/core`'s `events.ts`) as it travels in JSON. */
export const wireEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    ...base,
    type: z.literal('start'),
    config: runConfig,
    params: wireNumbers,
    step: z.number(),
  }),
  z.looseObject({
    ...base,
    type: z.literal('step'),
    step: z.number().int(),
    epoch: z.number().int(),
    batch: z.number().int(),
    loss: wireNumber,
    gradNorm: wireNumber,
    learningRate: wireNumber,
    hyperparams: z.record(z.string(), wireNumber),
    params: wireNumbers.optional(),
  }),
  z.looseObject({
    ...base,
    type: z.literal('epoch'),
    epoch: z.number().int(),
    step: z.number().int(),
    loss: wireNumber,
    validationLoss: wireNumber.optional(),
    metrics: z.record(z.string(), wireNumber).optional(),
  }),
  z
    .looseObject({
      ...base,
      type: z.literal('hyperparam'),
      step: z.number().int(),
      name: z.string(),
      value: wireNumber,
      previous: wireNumber.optional(),
      source: z.string(),
    })
    // `previous` is a required (possibly undefined) field of HyperparamEvent that JSON drops.
    .transform((event) => ({ ...event, previous: event.previous })),
  z.looseObject({
    ...base,
    type: z.literal('status'),
    status: z.enum(['paused', 'running']),
    step: z.number().int(),
    source: z.string(),
  }),
  z.looseObject({ ...base, type: z.literal('warning'), message: z.string() }),
  z.looseObject({
    ...base,
    type: z.literal('end'),
    reason: z.enum(['completed', 'converged', 'early-stopped', 'stopped', 'diverged', 'error']),
    step: z.number().int(),
    epoch: z.number().int(),
    params: wireNumbers,
    bestParams: wireNumbers.optional(),
    bestLoss: wireNumber.optional(),
    loss: wireNumber,
    error: z.string().optional(),
    optimizerState: z.unknown().optional(),
    source: z.string().optional(),
  }),
]);

/** Checks one decoded event against core's `TrainEvent` at compile time (a schema drift fails the build). */
export function asTrainEvent(event: z.output<typeof wireEventSchema>): TrainEvent {
  return event;
}
