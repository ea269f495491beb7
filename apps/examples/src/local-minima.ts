/**
 * Local vs global minimum on a tilted double well (seed documents: "we will get stuck in the
 * valley on the right ... gradient descent with restarts ... periodically make your learning
 * rate very large"). Definition: `localMinima` in packages/cli/src/experiments/local-minima.ts.
 *
 * Run it: pnpm --filter examples local-minima
 */
import { formatNumber, localMinima } from '@downhill/cli';
import { doubleWell } from '@downhill/models';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${localMinima.title}\n${localMinima.description}\n`);
  const { minima } = doubleWell({ tilt: 0.3 });
  const nearest = (p: readonly number[]) => {
    const distance = (q: readonly number[]) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!);
    return [...minima].sort((a, b) => distance(a.point) - distance(b.point))[0]!;
  };
  const runs = await recordExperiment(localMinima);
  const rows = runs.map((r) => {
    const found = nearest(r.end.params);
    return [
      r.label,
      `(${r.end.params.map((v) => v.toFixed(3)).join(', ')})`,
      formatNumber(r.end.loss),
      found.kind === 'global-minimum' ? 'global' : 'local',
    ];
  });
  console.log(table(['run', 'ends at', 'loss', 'minimum'], rows));
  console.log(
    `\nThe minima: global at x = ${minima[0]!.point[0]!.toFixed(4)} (f = ${minima[0]!.value.toFixed(4)}), ` +
      `local at x = ${minima[1]!.point[0]!.toFixed(4)} (f = ${minima[1]!.value.toFixed(4)}).`,
  );
}
