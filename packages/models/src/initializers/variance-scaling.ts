import type { Fans, Initializer } from './initializer.js';

// All of these draw with variance s / fan, chosen so that activations (fan = fanIn) or gradients
// (fan = fanOut) keep their variance from layer to layer instead of exploding or vanishing.
// U[-a, a] has variance a^2 / 3, so the uniform bound is a = sqrt(3 * variance).

function checkFans(name: string, fans: Fans): void {
  if (!(fans.fanIn >= 1) || !(fans.fanOut >= 1)) {
    throw new RangeError(`${name}: fanIn and fanOut must be >= 1, got ${fans.fanIn} and ${fans.fanOut}`);
  }
}

function uniformWithVariance(name: string, variance: (fans: Fans) => number): Initializer {
  return {
    name,
    fill(out, fans, rng) {
      checkFans(name, fans);
      const a = Math.sqrt(3 * variance(fans));
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-a, a);
    },
  };
}

function normalWithVariance(name: string, variance: (fans: Fans) => number): Initializer {
  return {
    name,
    fill(out, fans, rng) {
      checkFans(name, fans);
      const std = Math.sqrt(variance(fans));
      for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
    },
  };
}

const glorotVariance = (f: Fans): number => 2 / (f.fanIn + f.fanOut);
const heVariance = (f: Fans): number => 2 / f.fanIn;
const lecunVariance = (f: Fans): number => 1 / f.fanIn;

/**
 * Xavier/Glorot uniform (Glorot & Bengio, 2010): U[-a, a] with a = sqrt(6 / (fanIn + fanOut)),
 * variance 2 / (fanIn + fanOut). For tanh and sigmoid layers.
 */
export const glorotUniform: Initializer = uniformWithVariance('glorot-uniform', glorotVariance);

/** Xavier/Glorot normal (Glorot & Bengio, 2010): N(0, 2 / (fanIn + fanOut)). */
export const glorotNormal: Initializer = normalWithVariance('glorot-normal', glorotVariance);

/**
 * He/Kaiming uniform (He et al., 2015): U[-a, a] with a = sqrt(6 / fanIn), variance 2 / fanIn:
 * the factor 2 makes up for ReLU zeroing half of its inputs. For ReLU-family layers.
 */
export const heUniform: Initializer = uniformWithVariance('he-uniform', heVariance);

/** He/Kaiming normal (He et al., 2015): N(0, 2 / fanIn). */
export const heNormal: Initializer = normalWithVariance('he-normal', heVariance);

/** LeCun normal (LeCun et al., 1998, "Efficient BackProp"): N(0, 1 / fanIn). */
export const lecunNormal: Initializer = normalWithVariance('lecun-normal', lecunVariance);

/** LeCun uniform: U[-a, a] with a = sqrt(3 / fanIn), variance 1 / fanIn. */
export const lecunUniform: Initializer = uniformWithVariance('lecun-uniform', lecunVariance);
