#!/usr/bin/python3
"""Reference trajectories from PyTorch (1.13, Debian's python3-torch) for the optimizer tests.

Run from packages/optimizers:  /usr/bin/python3 scripts/torch_fixtures.py
Writes test/fixtures/*.json (then: pnpm exec biome check --write test/fixtures); the tests read
those files (CI has no PyTorch).
Everything runs in float64 (torch.set_default_dtype) so that PyTorch's scalar state (ASGD's eta
and mu are tensors) is not rounded to float32.
"""
import csv
import json
import os
import sys

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
DATA = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'data')


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


QUAD_A = torch.tensor([[3.0, 0.5, 0.0], [0.5, 2.0, -0.3], [0.0, -0.3, 1.0]])
QUAD_C = torch.tensor([1.0, -2.0, 0.5])


def quadratic(p):
    d = p - QUAD_C
    return 0.5 * d @ (QUAD_A @ d)


OBJECTIVES = {'rosenbrock': (rosenbrock, [-1.2, 1.0]), 'quadratic': (quadratic, [0.0, 0.0, 0.0])}


def asgd_cases():
    cases = []
    settings = [
        {},
        {'lr': 0.05, 'lambd': 0.01, 'alpha': 0.5, 't0': 3},
        {'lr': 0.02, 'lambd': 0.1, 'alpha': 0.75, 't0': 0, 'weight_decay': 0.05},
        {'lr': 0.01, 'lambd': 1e-3, 'alpha': 1.0, 't0': 5, 'maximize': True},
    ]
    for objective in ('quadratic', 'rosenbrock'):
        f, start = OBJECTIVES[objective]
        for setting in settings:
            # Rosenbrock's gradient at (-1.2, 1) is about 200: a tenth of the step keeps it finite.
            options = dict(setting, lr=setting.get('lr', 0.01) * 0.1) if objective == 'rosenbrock' else setting
            p = torch.tensor(start, requires_grad=True)
            opt = torch.optim.ASGD([p], **options)
            params, averages, losses = [], [], []
            for _ in range(12):
                opt.zero_grad()
                loss = f(p)
                if options.get('maximize'):
                    # Maximising -f descends f: the same objective as the other cases, read backwards.
                    loss = -loss
                loss.backward()
                losses.append(loss.item())
                opt.step()
                params.append(p.detach().tolist())
                averages.append(opt.state[p]['ax'].tolist())
            cases.append({'objective': objective, 'start': start, 'options': options,
                          'params': params, 'averages': averages, 'losses': losses})
    return cases


def breast_cancer():
    """Standardised features (population std) and labels of test/fixtures/breast-cancer.csv."""
    with open(os.path.join(OUT, 'breast-cancer.csv')) as fh:
        rows = list(csv.reader(fh))[1:]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([float(r[-1]) for r in rows])
    return (x - x.mean(0)) / x.std(0, unbiased=False), y


L2 = 0.01


def logistic(x, y):
    """Mean binary cross-entropy of sigmoid(x w + b) plus (L2 / 2) ||w||^2 (bias not penalised):
    without the penalty the standardised data are separable and the loss has no minimiser."""
    def f(p):
        z = x @ p[:-1] + p[-1]
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y) + 0.5 * L2 * (p[:-1] ** 2).sum()
    return f


def lbfgs_case(name, f, start, calls=1, **options):
    p = torch.tensor(start, requires_grad=True)
    opt = torch.optim.LBFGS([p], **options)
    evaluated = []

    def closure():
        opt.zero_grad()
        loss = f(p)
        loss.backward()
        evaluated.append(loss.item())
        return loss

    for _ in range(calls):
        opt.step(closure)
    state = opt.state[p]
    with torch.no_grad():
        final = f(p).item()
    return {'name': name, 'calls': calls, 'options': options, 'start': start, 'evaluated': evaluated,
            'funcEvals': state['func_evals'], 'iterations': state['n_iter'],
            'params': p.detach().tolist(), 'loss': final}


def lbfgs_cases():
    x, y = breast_cancer()
    f = logistic(x, y)
    zeros = [0.0] * (x.shape[1] + 1)
    return [
        lbfgs_case('breast-cancer', f, zeros, lr=1, max_iter=500, history_size=10, line_search_fn='strong_wolfe'),
        lbfgs_case('breast-cancer', f, zeros, lr=1, max_iter=20, history_size=10),
        lbfgs_case('rosenbrock', rosenbrock, [-1.2, 1.0], max_iter=200, line_search_fn='strong_wolfe'),
        # step() called again and again continues the same history (PyTorch's usual loop).
        lbfgs_case('breast-cancer', f, zeros, calls=6, lr=1, max_iter=4, history_size=5,
                   line_search_fn='strong_wolfe'),
        lbfgs_case('rosenbrock', rosenbrock, [-1.2, 1.0], calls=5, lr=0.2, max_iter=3),
        lbfgs_case('rosenbrock', rosenbrock, [-1.2, 1.0], lr=0.5, max_iter=10, history_size=3,
                   tolerance_grad=1e-12, tolerance_change=1e-14),
    ]


def write(name, value):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, 'w') as fh:
        json.dump({'torch': torch.__version__, 'generator': 'scripts/torch_fixtures.py', **value}, fh, indent=1, allow_nan=False)
        fh.write('\n')
    print('wrote', os.path.relpath(path))


if __name__ == '__main__':
    which = sys.argv[1:] or ['asgd', 'lbfgs']
    if 'asgd' in which:
        write('asgd.json', {'cases': asgd_cases()})
    if 'lbfgs' in which:
        write('lbfgs.json', {'l2': L2, 'cases': lbfgs_cases()})
