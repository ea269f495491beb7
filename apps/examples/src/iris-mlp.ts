/**
 * Trains the iris MLP of `iris-classifier.ts` in Node on `../shared/data/iris.csv`, printing the
 * training and validation loss every 10 epochs, then its test accuracy.
 *
 * Run it: pnpm --filter examples iris-mlp
 */
import { readFile } from 'node:fs/promises';
import { type EndEvent, type TrainEvent, train } from '@downhill/core';
import { lastValueFrom, tap } from 'rxjs';
import { irisMlp } from './iris-classifier.js';
import { isMain } from './is-main.js';

if (isMain(import.meta.url)) {
  const csv = await readFile(new URL('../../../../shared/data/iris.csv', import.meta.url), 'utf8');
  const { model, spec, test } = await irisMlp({ csv });
  console.log('epoch  training loss  held-out loss');
  const end = (await lastValueFrom(
    train(spec).pipe(
      tap((event: TrainEvent) => {
        if (event.type === 'epoch' && event.epoch % 10 === 9)
          console.log(
            `${String(event.epoch + 1).padStart(5)}  ${event.loss.toFixed(4).padStart(13)}  ${(event.validationLoss ?? Number.NaN).toFixed(4).padStart(13)}`,
          );
      }),
    ),
  )) as EndEvent;
  const { loss, accuracy } = model.metrics(Float64Array.from(end.params), test);
  console.log(`${end.reason} after ${end.step} steps: test loss ${loss!.toFixed(4)}, accuracy ${accuracy}`);
}
