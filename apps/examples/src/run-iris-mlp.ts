/**
 * Trains the iris MLP of `iris-mlp.ts` in Node on `../shared/data/iris.csv` and prints its test
 * accuracy. Run it: pnpm --filter examples iris-mlp
 */
import { readFile } from 'node:fs/promises';
import { train } from '@downhill/core';
import { last, lastValueFrom } from 'rxjs';
import { irisMlp } from './iris-mlp.js';
import { isMain } from './is-main.js';

if (isMain(import.meta.url)) {
  const csv = await readFile(new URL('../../../../shared/data/iris.csv', import.meta.url), 'utf8');
  const { model, spec, test } = await irisMlp({ csv });
  const end = await lastValueFrom(train(spec).pipe(last()));
  if (end.type !== 'end') throw new Error('the run ended without an end event');
  const { loss, accuracy } = model.metrics(Float64Array.from(end.params), test);
  console.log(`${end.reason} after ${end.step} steps: test loss ${loss!.toFixed(4)}, accuracy ${accuracy}`);
}
