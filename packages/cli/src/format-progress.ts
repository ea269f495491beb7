/** What one line of the progress bar shows. */
export interface ProgressState {
  /** 0-based epoch of the latest step. */
  readonly epoch: number;
  readonly epochs: number | undefined;
  /** Updates applied so far. */
  readonly step: number;
  readonly totalSteps: number | undefined;
  /** The epoch's running mean loss so far (its `epoch` event's mean once it ends). */
  readonly loss: number;
  /** The last batch's loss, shown only when given. */
  readonly batchLoss?: number;
  readonly learningRate: number;
  /** Steps per second. */
  readonly rate: number;
  /** Seconds left, when the run's length is known. */
  readonly eta: number | undefined;
}

/** Formats a number compactly: 4 significant digits, exponent notation when very small or large. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatRate(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return '- steps/s';
  if (rate >= 1000) return `${(rate / 1000).toFixed(1)}k steps/s`;
  return `${rate.toFixed(rate >= 10 ? 0 : 1)} steps/s`;
}

/**
 * One line of the terminal progress bar:
 * `epoch 3/10 [#####-----]  45% step 450/1000 loss 0.1234 lr 0.01 1.2k steps/s ETA 0:05`
 * (`loss` is the epoch's running mean, as Keras shows it; `batch 0.09` follows when asked for).
 * The bar is left out when the run's length is unknown.
 */
export function formatProgress(state: ProgressState, options: { barWidth?: number } = {}): string {
  const { barWidth = 20 } = options;
  const parts: string[] = [];
  parts.push(
    state.epochs !== undefined ? `epoch ${state.epoch + 1}/${state.epochs}` : `epoch ${state.epoch + 1}`,
  );
  if (state.totalSteps !== undefined && state.totalSteps > 0) {
    const fraction = Math.min(1, state.step / state.totalSteps);
    const filled = Math.floor(fraction * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`);
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
    parts.push(`step ${state.step}/${state.totalSteps}`);
  } else {
    parts.push(`step ${state.step}`);
  }
  parts.push(`loss ${formatNumber(state.loss)}`);
  if (state.batchLoss !== undefined) parts.push(`batch ${formatNumber(state.batchLoss)}`);
  if (!Number.isNaN(state.learningRate)) parts.push(`lr ${formatNumber(state.learningRate)}`);
  parts.push(formatRate(state.rate));
  parts.push(`ETA ${state.eta === undefined ? '--:--' : formatDuration(state.eta)}`);
  return parts.join(' ');
}
