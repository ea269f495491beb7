import { resolve } from 'node:path';
import type { Batch, CheckpointOptions } from '@downhill/core';
import {
  type EndEvent,
  type RunCommand,
  runControllerOf,
  type TrainEvent,
  type TrainSpec,
  train,
} from '@downhill/core';
import { Observable, type Subscription } from 'rxjs';
import { CheckpointWriter } from '../checkpoint-writer.js';
import { ConfigError } from '../config/config-error.js';
import { describeParams } from '../describe-params.js';
import { FileError } from '../file-error.js';
import { type LoadedTrainConfig, loadTrainConfig, trainConfigFromData } from '../load-train-config.js';
import { prepareRun } from '../prepare-run.js';
import { ProgressBar, type ProgressOutput } from '../progress-bar.js';
import {
  EventLog,
  loadCheckpoint,
  makeDirectory,
  removeStaleTemporaries,
  saveConfig,
  saveResults,
  truncateEventLog,
} from '../run-directory.js';

/** Trains a run elsewhere-visible: given how to build the run from a command stream, returns its events (`publishRun`). */
export type Publisher = (
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
) => Observable<TrainEvent>;

export interface TrainCommandOptions {
  /** Path of the JSON or YAML config; optional with `resume` (the checkpoint keeps a copy). */
  readonly configPath: string | undefined;
  /** Write final parameters, optimizer state and the event log here. */
  readonly out: string | undefined;
  /** Continue the run saved in this directory (and write back to it unless `out` is given). */
  readonly resume: string | undefined;
  /** Stop (and checkpoint) once the run has taken this many steps in total. */
  readonly maxSteps: number | undefined;
  /**
   * When to write `checkpoint.json` into the run directory (default: every 5 seconds, and at the
   * end); `best` writes `best.json` at each improving epoch. `save` is the CLI's own.
   */
  readonly checkpoints?: Omit<CheckpointOptions, 'save'>;
  /** Show the last mini-batch's loss beside the epoch's running mean. */
  readonly batchLoss?: boolean;
  readonly output: ProgressOutput;
  /** Warnings (a corrupt latest checkpoint ...); default `output`. */
  readonly warnings?: ProgressOutput;
  /** Streams the run to a server (`--server`), which may also send it commands. */
  readonly publish?: Publisher;
  /** Stops the run gracefully when it fires (Ctrl-C). */
  readonly interrupt?: Observable<unknown>;
}

/** How a `train` ended. */
export interface TrainOutcome {
  readonly end: EndEvent;
  /**
   * Set when the run was published (`publish`) and the server did not store all of it: the
   * publisher's error, raised after the run's `end` (the local outputs are written all the same).
   */
  readonly notRecorded?: Error;
}

/**
 * Loads config and checkpoint, trains with a progress bar, writes the outputs; resolves to the
 * `end` event and, for a published run the server did not fully store, why.
 */
export async function trainCommand(options: TrainCommandOptions): Promise<TrainOutcome> {
  const { output } = options;
  const resumeDir = options.resume ? resolve(options.resume) : undefined;
  const checkpoint = resumeDir ? await loadCheckpoint(resumeDir) : undefined;
  for (const warning of checkpoint?.warnings ?? [])
    (options.warnings ?? output).write(`warning: ${warning}
`);
  let loaded: LoadedTrainConfig;
  if (options.configPath) loaded = await loadTrainConfig(options.configPath);
  else if (checkpoint) {
    const saved = checkpoint.config;
    loaded = trainConfigFromData(saved.config, saved.baseDir, saved.file);
  } else throw new Error('train needs a config file (JSON or YAML), or --resume DIR');

  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepareRun(loaded.config, loaded.baseDir);
  } catch (err) {
    if (err instanceof ConfigError) throw err.at(loaded.locate(err.field));
    throw err;
  }
  const outDir = options.out ? resolve(options.out) : options.resume ? resolve(options.resume) : undefined;
  let spec: TrainSpec<Batch> = { ...prepared.spec, returnState: outDir !== undefined };
  if (checkpoint) {
    const bpe = spec.loader?.batchesPerEpoch;
    const byEpochs = spec.epochs !== undefined && bpe !== undefined ? spec.epochs * bpe : undefined;
    const total = Math.min(spec.steps ?? Number.POSITIVE_INFINITY, byEpochs ?? Number.POSITIVE_INFINITY);
    if (checkpoint.reason === 'diverged' || checkpoint.reason === 'error') {
      throw new Error(
        `cannot resume: the run in ${options.resume} ended with ${checkpoint.reason} at step ${checkpoint.step}`,
      );
    }
    if (checkpoint.step >= total) {
      throw new Error(
        `nothing to resume: the run in ${options.resume} already took ${checkpoint.step} steps and the config asks for ${total} (raise epochs or steps to continue it)`,
      );
    }
    if (checkpoint.state) spec = { ...spec, restore: checkpoint.state };
    else {
      const saved = checkpoint.legacy!.params;
      if (saved.params.length !== prepared.model.dimension) {
        throw new Error(
          `cannot resume: the checkpoint has ${saved.params.length} parameters, the config's model has ${prepared.model.dimension}`,
        );
      }
      spec = {
        ...spec,
        params: saved.params,
        resume: { step: saved.step, optimizerState: checkpoint.legacy!.optimizerState },
      };
    }
    try {
      // Checks the saved state against this config's model and optimizer before anything is written.
      train(spec);
    } catch (err) {
      throw new Error(`cannot resume from ${checkpoint.file}: ${(err as Error).message}`);
    }
  }
  const name = loaded.config.name ?? loaded.file ?? 'run';
  output.write(
    `${name}: ${prepared.model.describe().name}, ${prepared.model.dimension} parameters, ` +
      `${prepared.trainRows} training rows${prepared.validationRows > 0 ? `, ${prepared.validationRows} validation rows` : ''} from ${prepared.dataFile}\n`,
  );

  let log: EventLog | undefined;
  let writer: CheckpointWriter | undefined;
  // The replayed start event of a restored run (seq 0) is already in the log it continues.
  const sameLog = checkpoint !== undefined && outDir === resumeDir;
  const skipBelow = sameLog && checkpoint.state ? checkpoint.state.seq : 0;
  if (outDir) {
    await makeDirectory(outDir);
    await removeStaleTemporaries(outDir);
    await saveConfig(outDir, { baseDir: loaded.baseDir, file: loaded.file, config: loaded.raw });
    // A resume that is itself killed and resumed again must not leave the events after its
    // checkpoint twice: the log is cut back to what the checkpoint covers.
    if (sameLog && checkpoint.state) await truncateEventLog(outDir, checkpoint.state.seq);
    const eventLog = new EventLog(outDir, { append: sameLog });
    log = eventLog;
    writer = new CheckpointWriter(outDir, { beforeSave: () => eventLog.flush() });
    const cadence = options.checkpoints ?? {};
    const periodic =
      cadence.everySteps !== undefined ||
      cadence.everyEpochs !== undefined ||
      cadence.everySeconds !== undefined;
    spec = {
      ...spec,
      checkpoint: { ...(periodic ? {} : { everySeconds: 5 }), ...cadence, save: writer.save },
    };
  }
  let fileError: Error | undefined;

  const build = (control?: Observable<RunCommand>) => {
    let events = train(control ? { ...spec, control } : spec);
    for (const operator of prepared.operators) events = events.pipe(operator);
    return events;
  };
  const events = options.publish ? options.publish(build) : build();
  const bar = new ProgressBar({ output, batchLoss: options.batchLoss ?? false });
  let stopRun: (() => void) | undefined;
  const shared = new Observable<TrainEvent>((subscriber) => {
    let controller: ReturnType<typeof runControllerOf>;
    let interruption: Subscription | undefined;
    const subscription = events.subscribe({
      next: (event) => {
        if (event.type === 'start') {
          controller = runControllerOf(event);
          stopRun = () => controller?.send({ type: 'stop', source: 'event-log' });
          interruption = options.interrupt?.subscribe(() =>
            controller?.send({ type: 'stop', source: 'user' }),
          );
        }
        subscriber.next(event);
        if (event.type === 'step' && options.maxSteps !== undefined && event.step + 1 >= options.maxSteps) {
          controller?.send({ type: 'stop', source: 'max-steps' });
        }
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    return () => {
      interruption?.unsubscribe();
      subscription.unsubscribe();
    };
  });

  const end = new Promise<TrainOutcome>((resolveEnd, reject) => {
    let last: EndEvent | undefined;
    shared.subscribe({
      next: (event) => {
        bar.update(event);
        if (log && !fileError && !(event.type === 'start' && event.seq < skipBelow)) {
          try {
            log.write(event);
          } catch (err) {
            // Nothing more is written; the run stops at its next step and the last good
            // checkpoint stays as it is.
            fileError = err as Error;
            if (event.type !== 'end') stopRun?.();
          }
        }
        if (event.type === 'end') {
          last = event;
          // Before the run's final checkpoint (see saveResults); a failed run leaves the last
          // good results in place.
          if (outDir && !fileError && event.reason !== 'error' && event.reason !== 'diverged') {
            try {
              saveResults(outDir, event);
            } catch (err) {
              fileError = err as Error;
            }
          }
        }
      },
      // After `end` the run itself has nothing more to say: an error then is the publisher's
      // (the server did not store the whole run), and the run's outputs are still written. A
      // file that cannot be written is the CLI's own failure.
      error: (err: unknown) =>
        last && !(err instanceof FileError)
          ? resolveEnd({ end: last, notRecorded: err instanceof Error ? err : new Error(String(err)) })
          : reject(err),
      complete: () =>
        last ? resolveEnd({ end: last }) : reject(new Error('the run completed without an end event')),
    });
  });
  let outcome: TrainOutcome;
  try {
    outcome = await end;
  } finally {
    try {
      log?.close();
    } catch (err) {
      fileError ??= err as Error;
    }
    // A checkpoint still waiting for its turn goes to disk now (or says why not).
    try {
      writer?.flush();
    } catch (err) {
      fileError ??= err as Error;
    }
  }
  if (fileError) throw fileError;
  const last = outcome.end;
  const failed = last.reason === 'error' || last.reason === 'diverged';
  output.write(`final parameters: ${describeParams(prepared.model, last.params)}\n`);
  if (last.bestParams) output.write(`best parameters: ${describeParams(prepared.model, last.bestParams)}\n`);
  if (outDir && !failed)
    output.write(
      `wrote params.json, optimizer-state.json, checkpoint.json, events.jsonl and config.json to ${outDir}\n`,
    );
  else if (outDir)
    output.write(`the last good checkpoint in ${outDir} is kept (resume it with --resume ${outDir})\n`);
  return outcome;
}
