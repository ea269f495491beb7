/**
 * SGD, momentum, RMSProp and Adam racing on Rosenbrock's banana from one start (seed documents:
 * momentum "includes the history of gradients to speed things up"; Adam keeps "a separate
 * learning rate for each parameter"). Definition: `rosenbrockRace` in
 * packages/cli/src/experiments/rosenbrock-race.ts.
 *
 * Run it: pnpm --filter examples rosenbrock-race
 */
import { rosenbrockRace } from '@downhill/cli';
import { isMain } from './is-main.js';
import { recordExperiment, table } from './run-all.js';

if (isMain(import.meta.url)) {
  console.log(`${rosenbrockRace.title}\n${rosenbrockRace.description}\n`);
  const runs = await recordExperiment(rosenbrockRace);
  const checkpoints = [100, 300, 1000, 2000, 3000];
  const rows = runs.map((r) => [
    r.label,
    ...checkpoints.map((n) => {
      const p = r.steps[n - 1]?.params;
      return p ? Math.hypot(p[0]! - 1, p[1]! - 1).toExponential(1) : '-';
    }),
  ]);
  console.log('Distance to the minimum (1, 1) after ... steps');
  console.log(table(['optimizer', ...checkpoints.map((n) => `${n}`)], rows));
}
