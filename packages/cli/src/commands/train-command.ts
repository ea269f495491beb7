import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Batch } from '@downhill/core';
import {
  type EndEvent,
  type RunCommand,
  runControllerOf,
  type TrainEvent,
  type TrainSpec,
  train,
} from '@downhill/core';
import { Observable, type Subscription } from 'rxjs';
import { ConfigError } from '../config/config-error.js';
import { describeParams } from '../describe-params.js';
import { type LoadedTrainConfig, loadTrainConfig, trainConfigFromData } from '../load-train-config.js';
import { prepareRun } from '../prepare-run.js';
import { ProgressBar, type ProgressOutput } from '../progress-bar.js';
import { EventLog, loadCheckpoint, saveCheckpoint, saveConfig } from '../run-directory.js';

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
  readonly output: ProgressOutput;
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
  const checkpoint = options.resume ? await loadCheckpoint(resolve(options.resume)) : undefined;
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
    const saved = checkpoint.params;
    if (saved.params.length !== prepared.model.dimension) {
      throw new Error(
        `cannot resume: the checkpoint has ${saved.params.length} parameters, the config's model has ${prepared.model.dimension}`,
      );
    }
    const bpe = spec.loader?.batchesPerEpoch;
    const byEpochs = spec.epochs !== undefined && bpe !== undefined ? spec.epochs * bpe : undefined;
    const total = Math.min(spec.steps ?? Number.POSITIVE_INFINITY, byEpochs ?? Number.POSITIVE_INFINITY);
    if (saved.reason === 'diverged' || saved.reason === 'error') {
      throw new Error(
        `cannot resume: the run in ${options.resume} ended with ${saved.reason} at step ${saved.step}`,
      );
    }
    if (saved.step >= total) {
      throw new Error(
        `nothing to resume: the run in ${options.resume} already took ${saved.step} steps and the config asks for ${total} (raise epochs or steps to continue it)`,
      );
    }
    spec = {
      ...spec,
      params: saved.params,
      resume: { step: saved.step, optimizerState: checkpoint.optimizerState },
    };
  }
  const name = loaded.config.name ?? loaded.file ?? 'run';
  output.write(
    `${name}: ${prepared.model.describe().name}, ${prepared.model.dimension} parameters, ` +
      `${prepared.trainRows} training rows${prepared.validationRows > 0 ? `, ${prepared.validationRows} validation rows` : ''} from ${prepared.dataFile}\n`,
  );

  let log: EventLog | undefined;
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await saveConfig(outDir, { baseDir: loaded.baseDir, file: loaded.file, config: loaded.raw });
    log = new EventLog(outDir, { append: checkpoint !== undefined && outDir === resolve(options.resume!) });
  }

  const build = (control?: Observable<RunCommand>) => {
    let events = train(control ? { ...spec, control } : spec);
    for (const operator of prepared.operators) events = events.pipe(operator);
    return events;
  };
  const events = options.publish ? options.publish(build) : build();
  const bar = new ProgressBar({ output });
  const shared = new Observable<TrainEvent>((subscriber) => {
    let controller: ReturnType<typeof runControllerOf>;
    let interruption: Subscription | undefined;
    const subscription = events.subscribe({
      next: (event) => {
        if (event.type === 'start') {
          controller = runControllerOf(event);
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
        log?.write(event);
        if (event.type === 'end') last = event;
      },
      // After `end` the run itself has nothing more to say: an error then is the publisher's
      // (the server did not store the whole run), and the run's outputs are still written.
      error: (err: unknown) =>
        last
          ? resolveEnd({ end: last, notRecorded: err instanceof Error ? err : new Error(String(err)) })
          : reject(err),
      complete: () =>
        last ? resolveEnd({ end: last }) : reject(new Error('the run completed without an end event')),
    });
  });
  await end.finally(() => log?.close());
  const outcome = await end;
  const last = outcome.end;
  if (outDir) await saveCheckpoint(outDir, last);
  output.write(`final parameters: ${describeParams(prepared.model, last.params)}\n`);
  if (last.bestParams) output.write(`best parameters: ${describeParams(prepared.model, last.bestParams)}\n`);
  if (outDir)
    output.write(`wrote params.json, optimizer-state.json, events.jsonl and config.json to ${outDir}\n`);
  return outcome;
}
