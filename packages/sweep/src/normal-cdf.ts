/**
 * erfc(x) by the Chebyshev fit of Numerical Recipes (2nd ed., section 6.2, `erfcc`): fractional
 * error below 1.2e-7 everywhere, and it stays relative in the tails (no 1 - erf cancellation),
 * which the log-densities of truncated kernels need.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * log(Phi(b) - Phi(a)) for a <= b, through the upper tail when both are positive so that mass far
 * in a tail does not cancel to 0.
 */
export function logNormalMass(a: number, b: number): number {
  const mass = a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
  return Math.log(Math.max(mass, Number.MIN_VALUE));
}
