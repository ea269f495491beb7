import {
  type Description,
  type GradientTransformation,
  type Optimizer,
  type UpdateContext,
  type Vector,
  withFusedStep,
} from '@downhill/core';

/** A transform with the metadata an optimizer carries (every transform in this package has it). */
// biome-ignore lint/suspicious/noExplicitAny: transforms of any state type
type AnyTransform = GradientTransformation<any> & Partial<Pick<Optimizer, 'name' | 'settable' | 'describe'>>;

/** Union of the live-settable hyperparameter names of `transforms`, in first-seen order. */
export function settableOf(transforms: readonly AnyTransform[]): readonly string[] {
  const names: string[] = [];
  for (const t of transforms) for (const n of t.settable ?? []) if (!names.includes(n)) names.push(n);
  return names;
}

/** Description of a transform, or `{ name }` for a bare transform without `describe`. */
export function describeTransform(t: AnyTransform): Description {
  return t.describe?.() ?? { name: t.name ?? 'transform' };
}

/**
 * Composes transforms left to right (Optax's `chain`): the update of each is the input of the
 * next, `u <- t_k(... t_2(t_1(g)))`. The state is the array of the transforms' states. The
 * chain's `settable` is the union of its transforms' live hyperparameters.
 */
// biome-ignore lint/suspicious/noExplicitAny: a chain accepts transforms of any state type
export function chain(...transforms: GradientTransformation<any>[]): Optimizer<unknown[]> {
  const parts = transforms as AnyTransform[];
  const chained: Optimizer<unknown[]> = {
    name: 'chain',
    settable: settableOf(parts),
    init(params: Vector): unknown[] {
      return parts.map((t) => t.init(params));
    },
    update(updates: Vector, state: unknown[], params: Vector, context: UpdateContext): void {
      for (let i = 0; i < parts.length; i++) parts[i]!.update(updates, state[i], params, context);
    },
    describe(): Description {
      return { name: 'chain', transforms: parts.map(describeTransform) };
    },
  };
  // A chain whose last transform has a fused step has one too: the others update, the last one
  // updates and applies in its own pass.
  const last = parts[parts.length - 1];
  const lastFused = last?.fusedStep;
  if (last === undefined || lastFused === undefined) return chained;
  const end = parts.length - 1;
  return withFusedStep(chained, (updates, state: unknown[], params, context) => {
    for (let i = 0; i < end; i++) parts[i]!.update(updates, state[i], params, context);
    return lastFused.call(last, updates, state[end], params, context);
  });
}

/**
 * Gives a transform an optimizer's name and description (the hyperparameters it was built with),
 * keeping its state and update.
 */
export function named<S>(
  name: string,
  hyperparameters: Readonly<Record<string, unknown>>,
  inner: Optimizer<S>,
): Optimizer<S> {
  const out: Optimizer<S> = {
    ...inner,
    name,
    describe: () => ({ name, ...describeSchedules(hyperparameters) }),
  };
  // The spread leaves the non-enumerable fused step behind: carry it over, it is the same update.
  return inner.fusedStep === undefined ? out : withFusedStep(out, inner.fusedStep);
}

/** Schedules are functions: describe them by their own description, or as `'schedule'`. */
function describeSchedules(h: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'function' ? ((v as { description?: unknown }).description ?? 'schedule') : v;
  }
  return out;
}
