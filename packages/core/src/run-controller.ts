import type { RunCommand } from './commands.js';
import type { StartEvent, TrainEvent } from './events.js';

/**
 * The in-process handle of a live run, reachable from its `start` event. Operators downstream of
 * `train()` use it to stop the run with a reason (so the run still emits its `end` event) and to
 * copy the current parameters. It is keyed by a symbol, so it never reaches JSON or the wire.
 */
export interface RunController {
  readonly runId: string;
  send(command: RunCommand): void;
  /** A copy of the current parameters. */
  snapshot(): Float64Array;
  /**
   * Makes a controller's or operator's state part of the run's checkpoints: `save` is called at
   * each checkpoint and must return plain data (numbers, strings, typed arrays, plain objects).
   * Returns the state saved under `key` when the run was restored from a checkpoint, else
   * `undefined`. A key registered twice gets `#2`, `#3` ... in registration order.
   */
  keepState(key: string, save: () => unknown): unknown;
}

const CONTROLLER = Symbol.for('downhill.runController');

/** Attaches `controller` to a start event (used by the run loop). */
export function attachRunController(event: StartEvent, controller: RunController): StartEvent {
  Object.defineProperty(event, CONTROLLER, { value: controller, enumerable: false });
  return event;
}

/** The controller of the run that emitted `event` (a `start` event), when the run lives in this process. */
export function runControllerOf(event: TrainEvent): RunController | undefined {
  return (event as unknown as { [CONTROLLER]?: RunController })[CONTROLLER];
}
