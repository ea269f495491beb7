import { checkChoice, checkParameter } from './check-parameter.js';

/** Which library's rule `reduceOnPlateau` follows. */
export type PlateauSemantics = 'pytorch' | 'keras';

export interface PlateauOptions {
  /** `min` (default) for losses, `max` for accuracy-like metrics. */
  readonly mode?: 'min' | 'max';
  /** Multiplier applied to the rate on a plateau, in (0, 1); default 0.1. */
  readonly factor?: number;
  /**
   * Epochs without improvement to tolerate; default 10. PyTorch reduces at the `patience + 1`-th
   * bad epoch, Keras at the `patience`-th.
   */
  readonly patience?: number;
  /** Smallest improvement that counts, >= 0; default 1e-4. */
  readonly threshold?: number;
  /**
   * `rel` (PyTorch default): better means below `best * (1 - threshold)` (`min`) or above
   * `best * (1 + threshold)` (`max`). `abs` (Keras' `min_delta`, the Keras default): below
   * `best - threshold` or above `best + threshold`.
   */
  readonly thresholdMode?: 'rel' | 'abs';
  /** Epochs to ignore after a reduction, an integer >= 0; default 0. */
  readonly cooldown?: number;
  /** The rate never goes below this (`min_lr`), >= 0; default 0. */
  readonly minLr?: number;
  /** PyTorch: a reduction smaller than this is not applied; default 1e-8. Unused by Keras. */
  readonly eps?: number;
  /** `pytorch` (default) or `keras`; see `reduceOnPlateau`. */
  readonly semantics?: PlateauSemantics;
}

/** The resolved settings (for the description). */
export type ResolvedPlateauOptions = Required<PlateauOptions>;

/** Validates `options` and fills in the defaults of the chosen semantics. */
export function resolvePlateauOptions(owner: string, options: PlateauOptions): ResolvedPlateauOptions {
  const semantics = checkChoice(owner, 'semantics', options.semantics ?? 'pytorch', ['pytorch', 'keras']);
  const mode = checkChoice(owner, 'mode', options.mode ?? 'min', ['min', 'max']);
  const thresholdMode = checkChoice(
    owner,
    'thresholdMode',
    options.thresholdMode ?? (semantics === 'keras' ? 'abs' : 'rel'),
    ['rel', 'abs'],
  );
  const factor = checkParameter(owner, 'factor', options.factor ?? 0.1, {
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
  });
  const patience = checkParameter(owner, 'patience', options.patience ?? 10, { integer: true, min: 0 });
  const threshold = checkParameter(owner, 'threshold', options.threshold ?? 1e-4, { min: 0 });
  const cooldown = checkParameter(owner, 'cooldown', options.cooldown ?? 0, { integer: true, min: 0 });
  const minLr = checkParameter(owner, 'minLr', options.minLr ?? 0, { min: 0 });
  const eps = checkParameter(owner, 'eps', options.eps ?? 1e-8, { min: 0 });
  return { semantics, mode, thresholdMode, factor, patience, threshold, cooldown, minLr, eps };
}

/**
 * The plateau logic of PyTorch's `ReduceLROnPlateau.step` and Keras' `ReduceLROnPlateau.on_epoch_end`
 * as a small state machine: feed it each epoch's monitored value and the rate in use; it answers
 * with the new rate when the rate must drop.
 */
export class PlateauDetector {
  private best: number;
  private bad = 0;
  private cooldownLeft = 0;

  private readonly options: ResolvedPlateauOptions;

  /**
   * Takes partial options (from JavaScript too): the defaults of the chosen semantics are filled
   * in and every value is validated, so a partial object never leaves a setting undefined (which
   * used to make it silently never reduce).
   */
  constructor(options: PlateauOptions = {}) {
    this.options = resolvePlateauOptions('PlateauDetector', options);
    this.best = this.options.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** The settings in use, defaults filled in. */
  settings(): ResolvedPlateauOptions {
    return { ...this.options };
  }

  /** The detector's counters, plain data for a checkpoint. */
  state(): { best: number; bad: number; cooldownLeft: number } {
    return { best: this.best, bad: this.bad, cooldownLeft: this.cooldownLeft };
  }

  /** Continues from a `state()` saved in a checkpoint (ignored when it is not one). */
  restore(saved: unknown): void {
    const s = saved as { best?: unknown; bad?: unknown; cooldownLeft?: unknown } | null | undefined;
    if (typeof s?.best !== 'number' || typeof s.bad !== 'number' || typeof s.cooldownLeft !== 'number')
      return;
    this.best = s.best;
    this.bad = s.bad;
    this.cooldownLeft = s.cooldownLeft;
  }

  /** Whether `value` improves on `best` by more than the threshold. */
  isBetter(value: number, best: number): boolean {
    const { mode, thresholdMode, threshold } = this.options;
    if (mode === 'min')
      return thresholdMode === 'rel' ? value < best * (1 - threshold) : value < best - threshold;
    return thresholdMode === 'rel' ? value > best * (1 + threshold) : value > best + threshold;
  }

  /** Records one epoch; returns the reduced rate, or `undefined` to keep `rate`. */
  observe(value: number, rate: number): number | undefined {
    return this.options.semantics === 'keras'
      ? this.observeKeras(value, rate)
      : this.observePyTorch(value, rate);
  }

  private observePyTorch(value: number, rate: number): number | undefined {
    const { patience, factor, minLr, eps, cooldown } = this.options;
    if (this.isBetter(value, this.best)) {
      this.best = value;
      this.bad = 0;
    } else {
      this.bad++;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.bad = 0; // bad epochs during the cooldown do not count
    }
    if (this.bad > patience) {
      this.cooldownLeft = cooldown;
      this.bad = 0;
      const reduced = Math.max(rate * factor, minLr);
      if (rate - reduced > eps) return reduced;
    }
    return undefined;
  }

  private observeKeras(value: number, rate: number): number | undefined {
    const { patience, factor, minLr, cooldown } = this.options;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.bad = 0;
    }
    if (this.isBetter(value, this.best)) {
      this.best = value;
      this.bad = 0;
    } else if (this.cooldownLeft === 0) {
      this.bad++;
      if (this.bad >= patience && rate > minLr) {
        this.cooldownLeft = cooldown;
        this.bad = 0;
        return Math.max(rate * factor, minLr);
      }
    }
    return undefined;
  }
}
