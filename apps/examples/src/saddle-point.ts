/**
 * A saddle point (seed documents: "saddle points can slow down or stall optimization ... the
 * gradient in certain directions is very small"). Definition: `saddlePoint` in
 * packages/cli/src/experiments/saddle-point.ts.
 *
 * Run it: pnpm --filter examples saddle-point
 */
import { formatNumber, saddlePoint } from '@downhill/cli';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${saddlePoint.title}\n${saddlePoint.description}\n`);
  const runs = await recordExperiment(saddlePoint);
  const rows = runs.map((r) => {
    // Steps spent near the saddle (within 0.1 of the origin), and the first step past |y| = 0.5.
    const near = r.steps.filter((s) => s.params && Math.hypot(s.params[0]!, s.params[1]!) < 0.1).length;
    const escaped = r.steps.find((s) => s.params && Math.abs(s.params[1]!) > 0.5);
    return [
      r.label,
      String(near),
      escaped ? String(escaped.step) : 'not yet',
      `(${r.end.params.map((v) => v.toFixed(3)).join(', ')})`,
      formatNumber(r.end.loss),
    ];
  });
  console.log(table(['run', 'steps near the saddle', 'escaped at step', 'ends at', 'loss'], rows));
}
