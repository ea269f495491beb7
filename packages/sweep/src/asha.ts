import type { BudgetReport, EarlyTermination, TerminationDecision } from './early-termination.js';

export interface AshaOptions {
  /** Grace period: the first rung's budget (epochs); no trial is judged before it. */
  readonly minBudget: number;
  /** The budget a trial trains to when never pruned; rungs lie below it. */
  readonly maxBudget: number;
  /** Reduction factor eta: a rung keeps the best 1/eta of its trials (default 3). */
  readonly reductionFactor?: number;
}

/** One rung: its budget and the score each trial recorded on reaching it. */
export interface AshaRung {
  readonly budget: number;
  readonly scores: Record<string, number>;
}

/** Plain, serializable state of `asha`. */
export interface AshaState {
  readonly rungs: AshaRung[];
}

/** The rung budgets min * eta^k below `maxBudget`. */
export function ashaRungs(options: AshaOptions): number[] {
  const { minBudget, maxBudget } = options;
  const eta = options.reductionFactor ?? 3;
  if (!(Number.isFinite(minBudget) && minBudget > 0))
    throw new RangeError(`asha: minBudget must be a positive number, got ${minBudget}`);
  if (!(Number.isFinite(maxBudget) && maxBudget > minBudget))
    throw new RangeError(`asha: maxBudget must be a number > minBudget (${minBudget}), got ${maxBudget}`);
  if (!(Number.isFinite(eta) && eta > 1))
    throw new RangeError(`asha: reductionFactor must be > 1, got ${eta}`);
  const rungs: number[] = [];
  for (let r = minBudget; r < maxBudget; r *= eta) rungs.push(r);
  return rungs;
}

/**
 * Asynchronous successive halving (ASHA; Li et al., 2018, "A System for Massively Parallel
 * Hyperparameter Tuning") as early stopping. Rungs sit at budgets min * eta^k below max. When a
 * trial first reaches a rung, its score is recorded there, and it continues only if it ranks in
 * the top floor(n / eta) of the n scores recorded at that rung so far, itself included. When
 * floor(n / eta) is 0 the best one so far continues: a stopped trial cannot be resumed later, so
 * the early arrivals are judged against what the rung has seen (Optuna's
 * SuccessiveHalvingPruner makes the same choice). Ties continue.
 */
export function asha(options: AshaOptions): EarlyTermination<AshaState> {
  const eta = options.reductionFactor ?? 3;
  const budgets = ashaRungs(options);
  return {
    name: 'asha',
    init: () => ({ rungs: budgets.map((budget) => ({ budget, scores: {} })) }),
    report(state: AshaState, report: BudgetReport): TerminationDecision {
      const score = Number.isFinite(report.score) ? report.score : Number.POSITIVE_INFINITY;
      let judgedAt: number | undefined;
      // A report may pass several rungs at once (a trial that reports every few epochs): judge
      // each in order, as if it had reported there, and stop at the first that prunes it.
      for (const rung of state.rungs) {
        if (rung.budget > report.budget) break;
        if (report.trialId in rung.scores) continue;
        rung.scores[report.trialId] = score;
        judgedAt = rung.budget;
        const sorted = Object.values(rung.scores).sort((a, b) => a - b);
        const keep = Math.max(1, Math.floor(sorted.length / eta));
        if (score > sorted[keep - 1]!) return { action: 'prune', rung: rung.budget };
      }
      return judgedAt === undefined ? { action: 'continue' } : { action: 'continue', rung: judgedAt };
    },
  };
}
