"""Generates test-fixtures/batch-norm.json: PyTorch 1.13 reference values for batch norm.

Run with Debian's PyTorch from the repository root, then format the file as the repository does:
  /usr/bin/python3 packages/autodiff/scripts/batch-norm-fixtures.py
  pnpm exec biome format --write packages/autodiff/test-fixtures/batch-norm.json
Everything is float64. Inputs come from a seeded generator and are written into the file, so the
tests read inputs and expected values from it and never need PyTorch.
"""

import json
import os

import torch

torch.manual_seed(20261202)
torch.set_default_dtype(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def op_case(name, module, shape, steps):
    """Training steps (forward, gradients of sum(y * g), running stats), then evaluation."""
    with torch.no_grad():
        module.weight.copy_(torch.randn(module.num_features) * 0.5 + 1)
        module.bias.copy_(torch.randn(module.num_features) * 0.5)
    case = {
        "name": name,
        "features": module.num_features,
        "momentum": module.momentum,
        "eps": module.eps,
        "weight": flat(module.weight),
        "bias": flat(module.bias),
        "shape": list(shape),
        "train": [],
    }
    module.train()
    for _ in range(steps):
        x = (torch.randn(*shape) * 2 + 0.7).requires_grad_(True)
        g = torch.randn(*shape)
        module.zero_grad()
        y = module(x)
        (y * g).sum().backward()
        case["train"].append(
            {
                "x": flat(x),
                "g": flat(g),
                "y": flat(y),
                "dx": flat(x.grad),
                "dweight": flat(module.weight.grad),
                "dbias": flat(module.bias.grad),
                "runningMean": flat(module.running_mean),
                "runningVar": flat(module.running_var),
            }
        )
    module.eval()
    x = (torch.randn(*shape) * 2 + 0.7).requires_grad_(True)
    g = torch.randn(*shape)
    module.zero_grad()
    y = module(x)
    (y * g).sum().backward()
    case["eval"] = {
        "x": flat(x),
        "g": flat(g),
        "y": flat(y),
        "dx": flat(x.grad),
        "dweight": flat(module.weight.grad),
        "dbias": flat(module.bias.grad),
    }
    return case


def model_case():
    """sequential(dense(5, 4), batchNorm(4), relu(), dense(4, 3)) with softmax cross-entropy,
    three SGD steps (lr 0.1) in training mode, then the evaluation outputs."""
    model = torch.nn.Sequential(
        torch.nn.Linear(5, 4), torch.nn.BatchNorm1d(4, momentum=0.2), torch.nn.ReLU(), torch.nn.Linear(4, 3)
    )
    with torch.no_grad():
        model[1].weight.copy_(torch.randn(4) * 0.3 + 1)
        model[1].bias.copy_(torch.randn(4) * 0.3)
    names = [n for n, _ in model.named_parameters()]
    initial = [flat(p) for _, p in model.named_parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    steps = []
    for _ in range(3):
        x = torch.randn(8, 5)
        y = torch.randint(0, 3, (8,))
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        grads = [flat(p.grad) for _, p in model.named_parameters()]
        opt.step()
        steps.append(
            {
                "x": flat(x),
                "y": [float(v) for v in y.tolist()],
                "loss": float(loss),
                "grad": [v for g in grads for v in g],
                "runningMean": flat(model[1].running_mean),
                "runningVar": flat(model[1].running_var),
            }
        )
    model.eval()
    x = torch.randn(6, 5)
    with torch.no_grad():
        out = model(x)
    return {
        "names": names,
        "params": [v for p in initial for v in p],
        "steps": steps,
        "evalX": flat(x),
        "evalOut": flat(out),
        "final": [v for _, p in model.named_parameters() for v in flat(p)],
    }


fixtures = {
    "generator": "packages/autodiff/scripts/batch-norm-fixtures.py",
    "torch": torch.__version__,
    "ops": [
        op_case("BatchNorm1d(4) on [6, 4]", torch.nn.BatchNorm1d(4), (6, 4), 3),
        op_case("BatchNorm1d(3, momentum=0.25) on [5, 3, 4]", torch.nn.BatchNorm1d(3, momentum=0.25), (5, 3, 4), 3),
        op_case(
            "BatchNorm2d(3, eps=1e-3, momentum=0.3) on [4, 3, 3, 2]",
            torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.3),
            (4, 3, 3, 2),
            3,
        ),
        op_case("BatchNorm1d(2) on [2, 2] (two rows)", torch.nn.BatchNorm1d(2), (2, 2), 2),
    ],
    "model": model_case(),
}

out = os.path.join(os.path.dirname(__file__), "..", "test-fixtures", "batch-norm.json")
with open(out, "w") as f:
    json.dump(fixtures, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(out))
