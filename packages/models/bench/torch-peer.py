# PyTorch 1-thread peer for the Downhill benchmarks: runs one workload for about `seconds` and
# prints its samples per second as JSON. Same shapes, batch size, optimizer and hyperparameters as
# the Downhill side; the data are generated here the same way (uniform inputs, labels from a fixed
# random teacher), contiguous batches, float32 throughout (PyTorch's default).
# Usage: python3 torch-peer.py logistic|mlp SECONDS
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
workload = sys.argv[1]
seconds = float(sys.argv[2])

if workload == 'logistic':
    rows, cols, batch = 200_000, 64, 256
    x = torch.rand(rows, cols) * 2 - 1
    teacher = torch.randn(cols) * 0.5
    y = ((x @ teacher + 0.1) > 0).float()
    model = torch.nn.Linear(cols, 1)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, eps=1e-7)
    ys = y.unsqueeze(1)
elif workload == 'mlp':
    rows, cols, batch = 128 * 60, 784, 128
    x = torch.rand(rows, cols)
    teacher = torch.randn(cols, 10)
    ys = ((x - 0.5) @ teacher).argmax(1)
    model = torch.nn.Sequential(torch.nn.Linear(cols, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
else:
    raise SystemExit(f'torch-peer.py: unknown workload {workload!r}, expected logistic or mlp')

batches = rows // batch


def steps(n, start):
    for s in range(n):
        b = (start + s) % batches
        xb = x[b * batch:(b + 1) * batch]
        yb = ys[b * batch:(b + 1) * batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()


steps(20, 0)
done = 0
t0 = time.perf_counter()
while time.perf_counter() - t0 < seconds:
    steps(20, done)
    done += 20
elapsed = time.perf_counter() - t0
print(json.dumps({'samplesPerSecond': done * batch / elapsed, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))
