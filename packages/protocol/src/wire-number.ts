import { z } from 'zod';

/**
 * A number as JSON carries it: `JSON.stringify` turns NaN and +-Infinity into `null`, so the wire
 * accepts `null` wherever a number may be non-finite (a loss before the first step, a learning rate
 * an optimizer does not have, a diverged gradient norm) and decodes it as NaN.
 */
export const wireNumber = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);

/** A list of parameters as JSON carries it (non-finite entries decode as NaN). */
export const wireNumbers = z.array(wireNumber);
