/**
 * The seed article's two figures: a line fitted from (m, b) = (-8, -8) with 20 steps of batch
 * gradient descent at learning rate 0.01, and the cubic -4 + 3x + 4x^2 + 4x^3 (jitter +-5)
 * fitted from zero with 100 steps at 0.03. The same runs are live in `downhill demo`; their
 * definition is `lineAndCubic` in packages/cli/src/experiments/line-and-cubic.ts.
 *
 * Run it: pnpm --filter examples line-and-cubic
 */
import { formatNumber, lineAndCubic, reportExperiment } from '@downhill/cli';
import { isMain } from './is-main.js';

if (isMain(import.meta.url)) {
  const [line, cubic] = await reportExperiment(lineAndCubic, process.stdout);
  const [m, b] = line!.end.params as [number, number];
  console.log(
    `\nAfter 20 steps: y = ${formatNumber(m)} x ${b < 0 ? '-' : '+'} ${formatNumber(Math.abs(b))}. The slope is nearly there;`,
  );
  console.log(
    'the intercept lags, because the loss curves gently along b (curvature 2 against ~68 along m):',
  );
  console.log('see `pnpm --filter examples line-fit` for the run to convergence.');
  const [a1, a2, a3, a0] = cubic!.end.params as [number, number, number, number];
  console.log(
    `Cubic after 100 steps: ${formatNumber(a0)} + ${formatNumber(a1)} x + ${formatNumber(a2)} x^2 + ${formatNumber(a3)} x^3 ` +
      '(generated from -4 + 3 x + 4 x^2 + 4 x^3).',
  );
}
