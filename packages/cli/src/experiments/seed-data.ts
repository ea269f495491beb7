import type { Dataset } from '@downhill/data';
import { noisyCubic, noisyLine } from '@downhill/data';

/**
 * The seed article's toy line: 100 points from y = 5x + 3 with Gaussian noise (sd 1), x uniform in
 * [0, 10]. On this range the MSE surface's largest curvature is about 68, so full-batch gradient
 * descent is stable for learning rates below 2 / 68 ~ 0.029 and diverges above.
 */
export function seedLine(): Dataset {
  return noisyLine({ samples: 100, seed: 1, slope: 5, intercept: 3, noise: 1, xRange: [0, 10] });
}

/** The seed article's cubic: y = -4 + 3x + 4x^2 + 4x^3 with uniform jitter of +-5, x in [-2, 2]. */
export function seedCubic(): Dataset {
  return noisyCubic({ samples: 100, seed: 2 });
}
