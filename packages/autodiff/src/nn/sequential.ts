import type { Module, ModuleParameter } from './module.js';

/**
 * Modules applied one after another; module i's parameters are named `layers.i.<name>` (the
 * names PyTorch gives a Sequential held in a `layers` attribute), so `layers.0.weight` is the
 * first layer's weight.
 */
export function sequential(...modules: Module[]): Module {
  const parameters: ModuleParameter[] = modules.flatMap((m, i) =>
    m.parameters.map((p) => ({ ...p, name: `layers.${i}.${p.name}` })),
  );
  return {
    parameters,
    forward(params, x, context) {
      let y = x;
      modules.forEach((m, i) => {
        y = m.forward((name) => params(`layers.${i}.${name}`), y, context);
      });
      return y;
    },
    describe: () => ({ name: 'sequential', layers: modules.map((m) => m.describe()) }),
  };
}
