import type { EndEvent, StartEvent, TrainEvent } from '@downhill/core';
import { formatDuration, formatNumber, formatProgress } from './format-progress.js';

/** Where the progress bar writes: a terminal redraws one line, anything else gets a line per epoch. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  readonly output: ProgressOutput;
  /** Redraw at most this often on a terminal (ms; default 100). Elsewhere every epoch gets its line. */
  readonly intervalMs?: number;
  /** Also show the last mini-batch's loss beside the epoch's running mean. */
  readonly batchLoss?: boolean;
  readonly now?: () => number;
}

/** Total updates of a run, from its `start` event: the smaller of `steps` and `epochs x batches`. */
export function totalStepsOf(start: StartEvent): number | undefined {
  const { steps, epochs, batchesPerEpoch } = start.config;
  const byEpochs =
    epochs !== undefined && batchesPerEpoch !== undefined ? epochs * batchesPerEpoch : undefined;
  if (steps !== undefined && byEpochs !== undefined) return Math.min(steps, byEpochs);
  return steps ?? byEpochs;
}

/**
 * A terminal progress bar fed with a run's events: epoch, step, the epoch's running mean loss (as
 * Keras shows it: one noisy mini-batch does not make the line jump), learning rate, steps per
 * second and ETA. On a TTY it redraws one line in place (at most every `intervalMs`); in a pipe or
 * a log it prints one line at the end of every epoch, with the epoch's mean loss and its
 * validation values.
 */
export class ProgressBar {
  private readonly output: ProgressOutput;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private epochs: number | undefined;
  private totalSteps: number | undefined;
  private firstStep = 0;
  private startedAt = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private epoch = 0;
  private step = 0;
  private loss = Number.NaN;
  private lossSum = 0;
  private lossCount = 0;
  private batchLoss = Number.NaN;
  private readonly showBatchLoss: boolean;
  private learningRate = Number.NaN;
  private drawn = false;
  /** Step of the last line printed in a pipe, so that the end does not print it twice. */
  private printedStep = -1;

  constructor(options: ProgressBarOptions) {
    this.output = options.output;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.showBatchLoss = options.batchLoss ?? false;
  }

  update(event: TrainEvent): void {
    switch (event.type) {
      case 'start':
        this.epochs = event.config.epochs;
        this.totalSteps = totalStepsOf(event);
        this.firstStep = event.step;
        this.step = event.step;
        this.startedAt = this.now();
        if (event.step > 0) this.output.write(`resuming at step ${event.step}\n`);
        break;
      case 'step':
        if (event.epoch !== this.epoch) {
          this.lossSum = 0;
          this.lossCount = 0;
        }
        this.epoch = event.epoch;
        this.step = event.step + 1;
        this.lossSum += event.loss;
        this.lossCount++;
        this.loss = this.lossSum / this.lossCount;
        this.batchLoss = event.loss;
        this.learningRate = event.learningRate;
        if (this.output.isTTY) this.draw(false);
        break;
      case 'epoch':
        this.epoch = event.epoch;
        // The exact mean, weighted by batch size; the next step starts a new running mean.
        this.loss = event.loss;
        this.lossSum = 0;
        this.lossCount = 0;
        if (!this.output.isTTY) this.draw(true, event.validationLoss, event.metrics);
        break;
      case 'hyperparam':
        this.line(`step ${event.step}: ${event.name} ${formatNumber(event.value)} (from ${event.source})`);
        break;
      case 'warning':
        this.line(`warning: ${event.message}`);
        break;
      case 'end':
        this.finish(event);
        break;
      default:
        break;
    }
  }

  private state() {
    const seconds = (this.now() - this.startedAt) / 1000;
    const done = this.step - this.firstStep;
    const rate = seconds > 0 ? done / seconds : Number.NaN;
    const eta =
      this.totalSteps !== undefined && rate > 0 ? Math.max(0, this.totalSteps - this.step) / rate : undefined;
    return {
      epoch: this.epoch,
      epochs: this.epochs,
      step: this.step,
      totalSteps: this.totalSteps,
      loss: this.loss,
      learningRate: this.learningRate,
      ...(this.showBatchLoss ? { batchLoss: this.batchLoss } : {}),
      rate,
      eta,
    };
  }

  private draw(force: boolean, validationLoss?: number, metrics?: Readonly<Record<string, number>>): void {
    const t = this.now();
    if (!force && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    let text = formatProgress(this.state());
    if (validationLoss !== undefined) text += ` val ${formatNumber(validationLoss)}`;
    for (const [name, value] of Object.entries(metrics ?? {})) {
      // The validation loss is already there.
      if (name !== 'loss') text += ` ${name} ${formatNumber(value)}`;
    }
    if (this.output.isTTY) {
      this.output.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      this.output.write(`${text}\n`);
      this.printedStep = this.step;
    }
  }

  /** A message on its own line, without breaking the bar. */
  private line(text: string): void {
    if (this.drawn) this.output.write('\r\x1b[2K');
    this.output.write(`${text}\n`);
    this.drawn = false;
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  private finish(end: EndEvent): void {
    this.step = end.step;
    // The bar keeps the epoch's mean; the summary below gives the last step's loss.
    if (Number.isNaN(this.loss) && Number.isFinite(end.loss)) this.loss = end.loss;
    if (this.output.isTTY) {
      this.draw(true);
      this.output.write('\n');
    } else if (this.printedStep !== this.step) this.draw(true);
    this.drawn = false;
    const seconds = (this.now() - this.startedAt) / 1000;
    const detail = end.error ? `: ${end.error}` : '';
    this.output.write(
      `${end.reason}${detail} after ${end.step} steps in ${formatDuration(seconds)}, loss ${formatNumber(end.loss)}\n`,
    );
  }
}
