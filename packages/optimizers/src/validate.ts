// Construction-time checks of hyperparameters. Every message names the optimizer or transform,
// the parameter, the valid range and the value received.
import type { ScheduleLike } from '@downhill/core';

function fail(owner: string, name: string, range: string, value: unknown): never {
  throw new RangeError(`${owner}: ${name} must be ${range}, got ${String(value)}`);
}

/** `value >= 0` and finite. Schedules are checked when they are evaluated, not here. */
export function checkNonNegative(owner: string, name: string, value: ScheduleLike): void {
  if (typeof value === 'function') return;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    fail(owner, name, 'a finite number >= 0', value);
}

/** `value > 0` and finite. */
export function checkPositive(owner: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    fail(owner, name, 'a finite number > 0', value);
}

/** `value` in [0, 1) (a decay rate such as Adam's betas). */
export function checkUnitInterval(owner: string, name: string, value: number, includeOne = false): void {
  const ok = typeof value === 'number' && value >= 0 && (includeOne ? value <= 1 : value < 1);
  if (!ok) fail(owner, name, includeOne ? 'in [0, 1]' : 'in [0, 1)', value);
}

/** A decay rate in [0, 1) given as a number, or a schedule (checked when evaluated, at each update). */
export function checkDecayRate(owner: string, name: string, value: ScheduleLike): void {
  if (typeof value === 'function') return;
  checkUnitInterval(owner, name, value);
}

/** An integer `>= min`. */
export function checkInteger(owner: string, name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    fail(owner, name, `an integer >= ${min}`, value);
}

/** A learning rate: a finite number >= 0, or a schedule. */
export function checkLearningRate(owner: string, value: ScheduleLike, name = 'learningRate'): void {
  if (typeof value === 'function') return;
  checkNonNegative(owner, name, value);
}

/** Throws with a free-form range description. */
export function checkThat(owner: string, name: string, ok: boolean, range: string, value: unknown): void {
  if (!ok) fail(owner, name, range, value);
}
