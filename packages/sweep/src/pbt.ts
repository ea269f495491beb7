import { type CheckpointOptions, createRng, type RunState, type TrainEvent } from '@downhill/core';
import { catchError, concat, defer, EMPTY, from, map, mergeMap, type Observable, of, tap } from 'rxjs';
import { checkSpace } from './check-space.js';
import type { Config, SearchSpace } from './domain.js';
import { metricOf } from './metric-of.js';
import { type ExploreOptions, explore } from './pbt-explore.js';
import type { Sampler } from './sampler.js';
import type { TrialControl } from './sweep.js';
import type { SweepEvent, TrialResult } from './sweep-event.js';
import { TRIAL_STREAM, trialSeed } from './trial-seed.js';

/** Stream tag of PBT's exploit/explore draws (one generator per generation). */
export const PBT_STREAM = 0x5a3e_03;

/** What a PBT member's objective gets: spread `train` into its `train()` call. */
export interface PbtControl extends TrialControl {
  /** The generation this segment trains (0 first). */
  readonly generation: number;
  /**
   * `train({ ...yourSpec(config), ...control.train })`: the epoch to train to, the state to continue
   * from (the member's own, or after an exploit the copied one), and the checkpoint that hands the
   * segment's final state back to PBT.
   */
  readonly train: {
    readonly epochs: number;
    readonly seed: number;
    readonly runId: string;
    readonly restore?: RunState;
    readonly checkpoint: CheckpointOptions;
  };
}

export interface PbtOptions extends ExploreOptions {
  readonly space: SearchSpace;
  /** The population's initial configs: member i gets `suggest({ index: i, history: [] })`. */
  readonly sampler: Sampler;
  /** Members trained side by side. */
  readonly population: number;
  /** Epochs between exploit/explore steps ("ready" in the paper). */
  readonly perturbationInterval: number;
  /** Epochs each member trains in all. */
  readonly maxBudget: number;
  /** A segment of training: `train({...spec(config), ...control.train})`. */
  readonly objective: (config: Config, control: PbtControl) => Observable<TrainEvent>;
  readonly metric?: string;
  readonly mode?: 'min' | 'max';
  /** Fraction of the population in the bottom (exploiting) and top (exploited) quantiles (default 0.25). */
  readonly quantileFraction?: number;
  /** Segments running at once (default 1). Decisions wait for every member, so they do not depend on it. */
  readonly concurrency?: number;
  readonly seed?: number;
  readonly sweepId?: string;
}

interface Member {
  readonly index: number;
  readonly trialId: string;
  readonly seed: number;
  config: Config;
  state?: RunState;
  value: number;
  error?: string;
}

/** Who exploits whom after a generation: the sizes of the quantiles and the ranking. */
export function pbtQuantiles(
  ranked: readonly number[],
  fraction: number,
): { bottom: number[]; top: number[] } {
  const n = ranked.length;
  const k = Math.min(Math.floor(n / 2), Math.ceil(n * fraction));
  return { top: ranked.slice(0, k), bottom: k === 0 ? [] : ranked.slice(n - k) };
}

function checkPositiveInteger(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1))
    throw new RangeError(`pbt: ${name} must be an integer >= 1, got ${v}`);
}

/**
 * Population-based training (Jaderberg, Dalibard, Osindero, Czarnecki, Donahue, Razavi, Vinyals,
 * Green, Dunning, Simonyan, Fernando & Kavukcuoglu, 2017), synchronous: every member trains
 * `perturbationInterval` epochs; then the members are ranked by the metric of their last epoch,
 * and each member of the bottom quantile copies the full run state (parameters, optimizer state,
 * data position, RNG) of a member of the top quantile chosen at random (exploit), and perturbs
 * the hyperparameters it copied (explore: see `explore`). Then the next segment, restored from
 * each member's state, until `maxBudget`. Each generation's draws come from their own generator,
 * `createRng(trialSeed(seed, PBT_STREAM, generation))`, so a run replays from its seed, whatever
 * the concurrency. Events: as `sweep()`'s, plus `trial-exploit`.
 */
export function pbt(options: PbtOptions): Observable<SweepEvent> {
  const space = checkSpace(options.space);
  checkPositiveInteger('population', options.population);
  checkPositiveInteger('perturbationInterval', options.perturbationInterval);
  checkPositiveInteger('maxBudget', options.maxBudget);
  const concurrency = options.concurrency ?? 1;
  checkPositiveInteger('concurrency', concurrency);
  const fraction = options.quantileFraction ?? 0.25;
  if (!(fraction > 0 && fraction <= 0.5))
    throw new RangeError(`pbt: quantileFraction must be in (0, 0.5], got ${fraction}`);
  const resample = options.resampleProbability ?? 0.25;
  if (!(resample >= 0 && resample <= 1))
    throw new RangeError(`pbt: resampleProbability must be in [0, 1], got ${resample}`);
  const factors = options.perturbationFactors ?? [0.8, 1.2];
  if (factors.length === 0 || !factors.every((f) => Number.isFinite(f) && f > 0))
    throw new RangeError(`pbt: perturbationFactors must be positive numbers, got ${JSON.stringify(factors)}`);
  if (options.mode !== undefined && options.mode !== 'min' && options.mode !== 'max')
    throw new RangeError(`pbt: mode must be 'min' or 'max', got ${JSON.stringify(options.mode)}`);
  const sign = options.mode === 'max' ? -1 : 1;
  const metric = options.metric ?? 'loss';
  const seed = options.seed ?? 0;
  const sweepId = options.sweepId ?? 'trial';
  const { objective, maxBudget, perturbationInterval: interval } = options;
  const generations = Math.ceil(maxBudget / interval);

  return defer(() => {
    const members: Member[] = [];
    for (let index = 0; index < options.population; index++) {
      const config = options.sampler.suggest({ space, index, history: [] });
      if (config === undefined)
        throw new RangeError(
          `pbt: the sampler ran out after ${index} configs, the population is ${options.population}`,
        );
      members.push({
        index,
        trialId: `${sweepId}-${index}`,
        seed: trialSeed(seed, TRIAL_STREAM, index),
        config,
        value: Number.NaN,
      });
    }

    const segment = (member: Member, generation: number): Observable<SweepEvent> =>
      defer(() => {
        const { trialId, index } = member;
        const epochs = Math.min(maxBudget, (generation + 1) * interval);
        let state: RunState | undefined;
        let value = Number.NaN;
        let error: string | undefined;
        const control: PbtControl = {
          trialId,
          index,
          seed: member.seed,
          generation,
          train: {
            epochs,
            seed: member.seed,
            runId: trialId,
            ...(member.state === undefined ? {} : { restore: member.state }),
            checkpoint: { atEnd: true, save: (s) => (state = s) },
          },
        };
        const start: SweepEvent[] =
          generation === 0 ? [{ type: 'trial-start', trialId, index, config: member.config }] : [];
        return concat(
          from(start),
          defer(() => objective(member.config, control)).pipe(
            tap((event) => {
              if (event.type === 'epoch') value = metricOf(event, metric) ?? value;
              else if (event.type === 'end' && event.reason === 'error')
                error = event.error ?? 'the run ended with an error';
            }),
            map((event): SweepEvent => ({ type: 'trial-event', trialId, index, event })),
            catchError((err: unknown) => {
              error = err instanceof Error ? err.message : String(err);
              return EMPTY;
            }),
          ),
          defer(() => {
            if (error === undefined && !Number.isFinite(value))
              error = `the segment to epoch ${epochs} ended without a finite "${metric}" (got ${value})`;
            if (error === undefined && state === undefined)
              error = `the segment to epoch ${epochs} handed back no state: spread control.train into train()`;
            member.value = value;
            if (error !== undefined) {
              member.error = error;
              return of<SweepEvent>({ type: 'trial-failed', trialId, index, error });
            }
            member.state = state!;
            return EMPTY;
          }),
        );
      });

    const exploitExplore = (generation: number): SweepEvent[] => {
      const alive = members.filter((m) => m.error === undefined);
      const ranked = [...alive].sort((a, b) => sign * a.value - sign * b.value || a.index - b.index);
      const { top, bottom } = pbtQuantiles(
        ranked.map((m) => m.index),
        fraction,
      );
      const rng = createRng(trialSeed(seed, PBT_STREAM, generation));
      const budget = Math.min(maxBudget, (generation + 1) * interval);
      const out: SweepEvent[] = [];
      // Worst first, so each generation's draws come in a fixed order.
      for (const index of [...bottom].reverse()) {
        const member = members[index]!;
        const donor = members[top[rng.int(top.length)]!]!;
        const copied = donor.state!;
        // The donor's run state under the member's own run id and event numbering.
        member.state = { ...copied, runId: member.trialId, seq: member.state!.seq, time: member.state!.time };
        member.config = explore(space, donor.config, rng, {
          resampleProbability: resample,
          perturbationFactors: factors,
        });
        out.push({
          type: 'trial-exploit',
          trialId: member.trialId,
          index,
          from: donor.trialId,
          fromIndex: donor.index,
          budget,
          value: member.value,
          fromValue: donor.value,
          config: member.config,
        });
      }
      return out;
    };

    const finish = (): SweepEvent[] => {
      const results: TrialResult[] = members.map((m) =>
        m.error === undefined
          ? {
              trialId: m.trialId,
              index: m.index,
              config: m.config,
              state: 'completed',
              value: m.value,
              budget: maxBudget,
            }
          : {
              trialId: m.trialId,
              index: m.index,
              config: m.config,
              state: 'failed',
              value: Number.NaN,
              budget: m.state?.epoch ?? 0,
              error: m.error,
            },
      );
      const out: SweepEvent[] = [];
      let best: TrialResult | undefined;
      for (const r of results) {
        if (r.state !== 'completed') continue;
        out.push({
          type: 'trial-complete',
          trialId: r.trialId,
          index: r.index,
          value: r.value,
          budget: r.budget,
        });
        if (best === undefined || sign * r.value < sign * best.value) best = r;
      }
      if (best !== undefined)
        out.push({
          type: 'best',
          trialId: best.trialId,
          index: best.index,
          config: best.config,
          value: best.value,
        });
      out.push({ type: 'end', reason: 'completed', results, best });
      return out;
    };

    const generation = (g: number): Observable<SweepEvent> =>
      concat(
        defer(() => from(members.filter((m) => m.error === undefined))).pipe(
          mergeMap((m) => segment(m, g), concurrency),
        ),
        defer(() => from(g < generations - 1 ? exploitExplore(g) : [])),
      );
    return concat(
      ...Array.from({ length: generations }, (_, g) => generation(g)),
      defer(() => from(finish())),
    );
  });
}
