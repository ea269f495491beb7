import type { Optimizer } from '@downhill/core';

/**
 * Negates the gradient, `u <- -g`, so that the chain ascends the objective (PyTorch's
 * `maximize=True`). Put it first. Stateless.
 */
export function maximize(): Optimizer<Record<string, never>> {
  return {
    name: 'maximize',
    settable: [],
    init: () => ({}),
    update(updates) {
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i] = -updates[i]!;
    },
    describe: () => ({ name: 'maximize' }),
  };
}

/** `[maximize()]` when `ascend`, else `[]`: spread into a chain. */
export function ascendIf(ascend: boolean): Optimizer<Record<string, never>>[] {
  return ascend ? [maximize()] : [];
}
