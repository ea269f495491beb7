import { z } from 'zod';

const source = z.string().max(64).optional();

/**
 * A `RunCommand` (see `@downhill/core`'s `commands.ts`) as it travels: stop, pause, resume, or set
 * a hyperparameter (`learningRate`, `momentum`, `weightDecay` ... whatever the run's optimizer
 * lists as settable) to a finite value.
 */
export const wireCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('stop'),
    reason: z.enum(['stopped', 'converged', 'early-stopped']).optional(),
    params: z.array(z.number()).optional(),
    bestLoss: z.number().optional(),
    source,
  }),
  z.strictObject({ type: z.literal('pause'), source }),
  z.strictObject({ type: z.literal('resume'), source }),
  z.strictObject({
    type: z.literal('set'),
    name: z.string().min(1).max(64),
    value: z.number().refine(Number.isFinite, 'must be a finite number'),
    source,
  }),
]);
export type WireCommand = z.output<typeof wireCommandSchema>;
