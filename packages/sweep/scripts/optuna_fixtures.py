"""Optuna's univariate TPE Parzen estimators as fixtures for parzen-estimator.test.ts.

Run: PYTHONPATH=<optuna install> python3 scripts/optuna_fixtures.py > test/fixtures/optuna-parzen.json
(then `pnpm exec biome format --write test/fixtures/optuna-parzen.json`)
(written with Optuna 5.0.0 and NumPy 2.x). For each case it builds optuna's _ParzenEstimator over
one parameter with TPESampler's defaults (prior weight 1, magic clip, no endpoints, default
weights) and records the kernels' centres, bandwidths and weights and log_pdf at a few points.
"""

import json
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

PARAMS = _ParzenEstimatorParameters(
    prior_weight=1.0,
    consider_magic_clip=True,
    consider_endpoints=False,
    weights=default_weights,
    multivariate=False,
)

rng = np.random.RandomState(0)
cases = [
    ("uniform", FloatDistribution(-5, 5), [0.3, -1.2, 4.9, 0.31, 2.0], [-5, -1, 0.3, 2.5, 5]),
    ("uniform one", FloatDistribution(0, 1), [0.1], [0, 0.1, 0.5, 0.99]),
    ("uniform none", FloatDistribution(0, 1), [], [0, 0.25, 0.5]),
    ("uniform 30", FloatDistribution(0, 10), list(rng.uniform(0, 10, 30)), [0.5, 3, 7.7]),
    ("log", FloatDistribution(1e-5, 1, log=True), [1e-3, 2e-3, 0.5, 1e-5], [1e-5, 1e-4, 1e-3, 0.9]),
    ("int", IntDistribution(1, 10), [3, 3, 7, 10], [1, 3, 4, 10]),
    ("int log", IntDistribution(1, 512, log=True), [8, 16, 300, 2], [1, 2, 17, 512]),
    ("categorical", CategoricalDistribution(["a", "b", "c", "d"]), [0, 2, 2, 3], [0, 1, 2, 3]),
]

out = []
for name, dist, observations, points in cases:
    pe = _ParzenEstimator({"x": np.asarray(observations, dtype=float)}, {"x": dist}, PARAMS)
    mixture = pe._mixture_distribution
    d = mixture.distributions[0]
    record = {
        "name": name,
        "observations": [float(v) for v in observations],
        "weights": mixture.weights.tolist(),
        "points": [float(p) for p in points],
        "logPdf": pe.log_pdf({"x": np.asarray(points, dtype=float)}).tolist(),
    }
    if isinstance(dist, CategoricalDistribution):
        record["choices"] = len(dist.choices)
        record["probabilities"] = d.weights.tolist()
    else:
        record.update(low=dist.low, high=dist.high, log=dist.log, int=isinstance(dist, IntDistribution))
        record["mus"] = d.mu.tolist()
        record["sigmas"] = d.sigma.tolist()
    out.append(record)

json.dump({"optuna": optuna.__version__, "numpy": np.__version__, "cases": out}, sys.stdout, indent=1)
sys.stdout.write("\n")
