#!/usr/bin/python3
"""Reference learning rates from PyTorch's schedulers (1.13, Debian's python3-torch).

Run from packages/schedules:  /usr/bin/python3 scripts/torch_fixtures.py
Writes test/fixtures/torch-schedulers.json (then: pnpm exec biome check --write test/fixtures);
the tests read it (CI has no PyTorch). Values are the optimizer's lr after `step` scheduler
steps, i.e. the rate used by update number `step` (0-based), in float64.
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 12


def rates(make, lr):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make(opt)
    out = []
    for _ in range(STEPS):
        out.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return out


cases = [
    {'name': 'ConstantLR', 'options': {'lr': 0.1}, 'values': rates(lambda o: torch.optim.lr_scheduler.ConstantLR(o), 0.1)},
    {'name': 'ConstantLR', 'options': {'lr': 0.05, 'factor': 0.5, 'total_iters': 4},
     'values': rates(lambda o: torch.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4), 0.05)},
    {'name': 'MultiplicativeLR', 'options': {'lr': 0.1, 'lambda': '0.95'},
     'values': rates(lambda o: torch.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.95), 0.1)},
    {'name': 'MultiplicativeLR', 'options': {'lr': 0.2, 'lambda': '1 / (1 + 0.1 * epoch)'},
     'values': rates(lambda o: torch.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 1 / (1 + 0.1 * e)), 0.2)},
]

os.makedirs(os.path.join(HERE, '..', 'test', 'fixtures'), exist_ok=True)
path = os.path.join(HERE, '..', 'test', 'fixtures', 'torch-schedulers.json')
with open(path, 'w') as fh:
    json.dump({'torch': torch.__version__, 'generator': 'scripts/torch_fixtures.py', 'cases': cases}, fh,
              indent=1, allow_nan=False)
    fh.write('\n')
print('wrote', os.path.relpath(path))
