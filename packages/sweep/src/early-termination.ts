/** A trial's result at some budget, in the sweep's "lower is better" orientation. */
export interface BudgetReport {
  readonly trialId: string;
  /** Budget spent so far (epochs completed). */
  readonly budget: number;
  /** Lower is better; a non-finite score counts as the worst. */
  readonly score: number;
}

export interface TerminationDecision {
  readonly action: 'continue' | 'prune';
  /** The rung (its budget) where the trial was judged, when it reached one with this report. */
  readonly rung?: number;
}

/**
 * Early termination of trials from their own results (successive halving, ASHA). Shaped like an
 * optimizer: `init` makes explicit plain state, `report` updates it in place and decides, so the
 * sweep owns the state and can save it with the rest of its record.
 */
export interface EarlyTermination<TState = unknown> {
  readonly name: string;
  init(): TState;
  report(state: TState, report: BudgetReport): TerminationDecision;
}
