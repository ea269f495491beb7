// Every browser-capable Downhill package in one page, as a user's app bundles them: the iris MLP
// of `../src/iris-classifier.ts` trains here on the WebAssembly SIMD kernels, its learning curve is drawn
// live by the dashboard's element, and with `?server=<url>&token=<token>` the run is published to
// a Downhill server over the run link. `window.result` says how it went (read by the test).
//
// Build it with Vite: `pnpm exec vite build browser` in apps/examples (then `vite preview browser`).
// Namespace imports: tree-shaking cannot hide a module that does not load in a browser.
import * as autodiff from '@downhill/autodiff';
import * as client from '@downhill/client';
import * as core from '@downhill/core';
import * as dashboard from '@downhill/dashboard';
import * as data from '@downhill/data';
import * as models from '@downhill/models';
import * as optimizers from '@downhill/optimizers';
import * as protocol from '@downhill/protocol';
import * as schedules from '@downhill/schedules';
import { type Observable, share } from 'rxjs';
import { irisMlp } from '../src/iris-classifier.js';

const packages = { autodiff, client, core, dashboard, data, models, optimizers, protocol, schedules };

/** The same MLP written with autodiff tensors: Z = A W^T + b per layer, ReLU between. */
function autodiffMlp(sizes: readonly number[]) {
  const parameters: Record<string, { shape: number[] }> = {};
  for (let l = 1; l < sizes.length; l++) {
    parameters[`layer${l}.weights`] = { shape: [sizes[l]!, sizes[l - 1]!] };
    parameters[`layer${l}.bias`] = { shape: [sizes[l]!] };
  }
  return autodiff.autodiffObjective<core.Batch>({
    parameters,
    loss(p, batch) {
      let a = autodiff.fromMatrix(batch.x);
      for (let l = 1; l < sizes.length; l++) {
        const z = autodiff.add(
          autodiff.matmul(a, autodiff.transpose(p[`layer${l}.weights`]!)),
          p[`layer${l}.bias`]!,
        );
        a = l === sizes.length - 1 ? z : autodiff.relu(z);
      }
      return autodiff.softmaxCrossEntropyLoss(a, autodiff.fromMatrix(batch.y));
    },
  });
}

/** Largest difference between the hand-written MLP's gradient and autodiff's, at `params`. */
function gradientGap(params: Float64Array, batch: core.Batch): number {
  const hand = models.mlp({ layers: [4, 16, 3] });
  const taped = autodiffMlp([4, 16, 3]);
  const g1 = new Float64Array(hand.dimension);
  const g2 = new Float64Array(taped.dimension);
  const gap = Math.abs(hand.loss(params, batch, g1) - taped.loss(params, batch, g2));
  return g1.reduce((worst, g, i) => Math.max(worst, Math.abs(g - g2[i]!)), gap);
}

async function main(): Promise<unknown> {
  const query = new URLSearchParams(location.search);
  const server = query.get('server');
  // The data set comes with the page (vite.config.ts serves ../shared/data as its public files).
  const csv = await (await fetch(query.get('data') ?? 'iris.csv')).text();
  const { model, spec, test } = await irisMlp({ csv, compute: 'float32' });
  const run = (control?: Observable<core.RunCommand>) => core.train(control ? { ...spec, control } : spec);
  const events = (
    server === null
      ? run()
      : client.publishRun(run, {
          url: server,
          ...(query.get('token') ? { token: query.get('token')! } : {}),
          meta: { name: 'iris MLP in a browser', userAgent: navigator.userAgent },
        })
  ).pipe(share());
  const curve = document.querySelector('#curve') as dashboard.DownhillLearningCurve;
  curve.events = events;
  let count = 0;
  let end: core.EndEvent | undefined;
  await new Promise<void>((resolve, reject) =>
    events.subscribe({
      next: (event) => {
        count++;
        if (event.type === 'end') end = event;
      },
      error: reject,
      complete: resolve,
    }),
  );
  if (!end) throw new Error('the run ended without an end event');
  const params = Float64Array.from(end.params);
  const { accuracy } = model.metrics(params, test);
  document.querySelector('#status')!.textContent =
    `${end.reason} after ${end.step} steps: test accuracy ${accuracy}`;
  await curve.updateComplete;
  return {
    exports: Object.fromEntries(Object.entries(packages).map(([name, p]) => [name, Object.keys(p).length])),
    kernels: model.describe().kernels,
    events: count,
    runId: end.runId,
    reason: end.reason,
    steps: end.step,
    params: end.params,
    accuracy,
    gradientGap: gradientGap(params, test),
    chartDrawn: curve.shadowRoot?.querySelector('canvas') !== null,
  };
}

main().then(
  (result) => Object.assign(window, { result }),
  (error: Error) => Object.assign(window, { result: { error: String(error.stack ?? error) } }),
);
