import type { Schedule } from '@downhill/core';
import {
  constant,
  cosineAnnealing,
  cosineDecay,
  cosineWarmRestarts,
  cyclic,
  exponentialDecay,
  inverseTimeDecay,
  linear,
  multiStep,
  oneCycle,
  polynomialDecay,
  stepDecay,
  swa,
  warmupCosineDecay,
} from '@downhill/schedules';
import { boolean, type ComponentCatalog, choice, integer, number, numbers } from './component-catalog.js';

/** What a schedule is built with besides its own options. */
export interface ScheduleContext {
  /** The optimizer's `learningRate`: the default starting value (`initial`, `peak`, `max`). */
  readonly learningRate: number | undefined;
}

const value = number({ min: 0 });
const steps = integer({ min: 1 });

// biome-ignore lint/suspicious/noExplicitAny: the options were checked against each entry's rules
type Options = any;

/** `options` with `key` defaulting to the optimizer's learning rate. */
function from(key: string, options: Readonly<Record<string, unknown>>, context: ScheduleContext): Options {
  if (options[key] !== undefined || context.learningRate === undefined) return options;
  return { ...options, [key]: context.learningRate };
}

/**
 * The learning-rate schedules a config can name (`schedule.name`). Every length is in steps
 * (updates). The starting value defaults to the optimizer's `learningRate`.
 */
export const scheduleCatalog: ComponentCatalog<Schedule, ScheduleContext> = {
  constant: {
    summary: 'the same rate at every step',
    options: { value },
    create: (o, c) => constant((o.value as number | undefined) ?? c.learningRate ?? 0.01),
  },
  'step-decay': {
    summary: 'multiply by gamma every stepSize steps',
    options: { initial: value, stepSize: steps, gamma: number({ above: 0 }) },
    create: (o, c) => stepDecay(from('initial', o, c)),
  },
  'multi-step': {
    summary: 'multiply by gamma at each milestone step',
    options: { initial: value, milestones: numbers, gamma: number({ above: 0 }) },
    create: (o, c) => multiStep(from('initial', o, c)),
  },
  exponential: {
    summary: 'initial * gamma^(step / transitionSteps)',
    options: {
      initial: value,
      gamma: number({ above: 0 }),
      transitionSteps: steps,
      transitionBegin: integer({ min: 0 }),
      staircase: boolean,
      end: value,
    },
    create: (o, c) => exponentialDecay(from('initial', o, c)),
  },
  'inverse-time': {
    summary: 'initial / (1 + decayRate * step / decaySteps)',
    options: { initial: value, decayRate: value, decaySteps: steps, staircase: boolean },
    create: (o, c) => inverseTimeDecay(from('initial', o, c)),
  },
  linear: {
    summary: 'straight line from initial to end over transitionSteps',
    options: { initial: value, end: value, transitionSteps: steps, transitionBegin: integer({ min: 0 }) },
    create: (o, c) => linear(from('initial', o, c)),
  },
  polynomial: {
    summary: 'polynomial decay to end over transitionSteps',
    options: {
      initial: value,
      end: value,
      power: number({ above: 0 }),
      transitionSteps: steps,
      transitionBegin: integer({ min: 0 }),
    },
    create: (o, c) => polynomialDecay(from('initial', o, c)),
  },
  'cosine-decay': {
    summary: 'half a cosine from initial down to alpha * initial over decaySteps',
    options: {
      initial: value,
      decaySteps: steps,
      alpha: number({ min: 0, max: 1 }),
      exponent: number({ above: 0 }),
    },
    create: (o, c) => cosineDecay(from('initial', o, c)),
  },
  'cosine-annealing': {
    summary: 'cosine between initial and minimum with half-period `period` (SGDR without restarts)',
    options: { initial: value, minimum: value, period: steps },
    create: (o, c) => cosineAnnealing(from('initial', o, c)),
  },
  'cosine-warm-restarts': {
    summary: 'cosine annealing restarted every period steps, each cycle periodMultiplier times longer (SGDR)',
    options: { initial: value, minimum: value, period: steps, periodMultiplier: integer({ min: 1 }) },
    create: (o, c) => cosineWarmRestarts(from('initial', o, c)),
  },
  'warmup-cosine': {
    summary: 'linear warm-up to peak, then cosine decay to end',
    options: { initial: value, peak: value, warmupSteps: integer({ min: 0 }), decaySteps: steps, end: value },
    create: (o, c) => warmupCosineDecay(from('peak', o, c)),
  },
  cyclic: {
    summary: 'triangular cyclic rate between base and max (Smith, 2017)',
    options: {
      base: value,
      max: value,
      stepSizeUp: steps,
      stepSizeDown: steps,
      mode: choice('triangular', 'triangular2', 'exp_range'),
      gamma: number({ above: 0, max: 1 }),
    },
    create: (o, c) => cyclic(from('max', o, c)).learningRate,
  },
  'one-cycle': {
    summary: 'one cycle up to max and down (Smith & Topin, 2018)',
    options: {
      max: value,
      totalSteps: integer({ min: 2 }),
      pctStart: number({ above: 0, below: 1 }),
      annealStrategy: choice('cos', 'linear'),
      divFactor: number({ above: 0 }),
      finalDivFactor: number({ above: 0 }),
      threePhase: boolean,
    },
    create: (o, c) => oneCycle(from('max', o, c)).learningRate,
  },
  swa: {
    summary: 'anneal from initial to the constant swaRate for stochastic weight averaging',
    options: {
      initial: value,
      swaRate: value,
      annealSteps: integer({ min: 0 }),
      annealStrategy: choice('cos', 'linear'),
    },
    create: (o, c) => swa(from('initial', o, c)),
  },
};
