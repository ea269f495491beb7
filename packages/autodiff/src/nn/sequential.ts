import type { ForwardContext, Module, ModuleBuffer, ModuleParameter } from './module.js';

/**
 * Modules applied one after another; module i's parameters and buffers are named `layers.i.<name>`
 * (the names PyTorch gives a Sequential held in a `layers` attribute), so `layers.0.weight` is the
 * first layer's weight and `layers.1.running_mean` a batch norm's running mean.
 */
export function sequential(...modules: Module[]): Module {
  const parameters: ModuleParameter[] = modules.flatMap((m, i) =>
    m.parameters.map((p) => ({ ...p, name: `layers.${i}.${p.name}` })),
  );
  const buffers: ModuleBuffer[] = modules.flatMap((m, i) =>
    (m.buffers ?? []).map((b) => ({ ...b, name: `layers.${i}.${b.name}` })),
  );
  return {
    parameters,
    buffers,
    forward(params, x, context) {
      let y = x;
      modules.forEach((m, i) => {
        const { buffers: lookup } = context;
        const inner: ForwardContext =
          lookup === undefined ? context : { ...context, buffers: (name) => lookup(`layers.${i}.${name}`) };
        y = m.forward((name) => params(`layers.${i}.${name}`), y, inner);
      });
      return y;
    },
    describe: () => ({ name: 'sequential', layers: modules.map((m) => m.describe()) }),
  };
}
