/**
 * Learning rate too small, right and too large on the same line (seed documents: "if we make
 * the learning rate too small we need a lot of steps ... larger risks not converging at all").
 * Definition: `learningRates` in packages/cli/src/experiments/learning-rates.ts.
 *
 * Run it: pnpm --filter examples learning-rates
 */
import { formatNumber, learningRates, sparkline } from '@downhill/cli';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${learningRates.title}\n${learningRates.description}\n`);
  const runs = await recordExperiment(learningRates);
  const firstBelow = (losses: number[], level: number) => {
    const i = losses.findIndex((l) => l < level);
    return i < 0 ? 'never' : String(i);
  };
  const rows = runs.map((r) => {
    const losses = r.steps.map((s) => s.loss);
    return [
      r.label,
      r.end.reason,
      String(r.end.step),
      firstBelow(losses, 10),
      firstBelow(losses, 1),
      formatNumber(r.end.loss),
    ];
  });
  console.log(table(['run', 'ended', 'steps', 'loss < 10 at', 'loss < 1 at', 'final loss'], rows));
  for (const r of runs)
    console.log(
      `\n${r.label}\n  ${sparkline(
        r.steps.map((s) => s.loss),
        60,
      )}`,
    );
}
