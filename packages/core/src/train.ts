import { Observable } from 'rxjs';
import type { TrainEvent } from './events.js';
import type { Batch } from './objective.js';
import { RunLoop } from './run-loop.js';
import type { TrainSpec } from './spec.js';
import { validateSpec } from './validate-spec.js';

/**
 * A training run as a cold Observable: every subscription starts an independent run that emits
 * `start`, then `step` (and `epoch`) events, then one `end` event, and completes. Unsubscribing
 * stops the run at the next step boundary. The same spec and seed give the same events (apart
 * from `time` and a random `runId`) and bit-identical parameters.
 *
 * The spec is checked here, so a bad spec throws when `train` is called, naming the field.
 */
export function train<TBatch = Batch>(spec: TrainSpec<TBatch>): Observable<TrainEvent> {
  validateSpec(spec);
  return new Observable<TrainEvent>((subscriber) => {
    const loop = new RunLoop(spec, subscriber);
    loop.start();
    return () => loop.dispose();
  });
}
