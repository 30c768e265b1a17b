#!/usr/bin/python3
"""PyTorch's side of `npm run bench` (CPU, one thread, float32), printed as one JSON object:
optimizer step throughput on one flat parameter of 1M and 16M elements (the same values and
gradients as test/bench/optim.ts), and the training throughput of the MLPs of
torch_train_ref.py (a copy of the shared reference script) on resources/datasets/digits.csv.
Usage: torch_bench.py DATASET_DIR [optim|train|all]"""
import json, math, os, sys, time
import torch
torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train_ref import run  # noqa: E402

OPTIMIZERS = {
    "adam": lambda p: torch.optim.Adam([p], lr=1e-3),
    "sgd_momentum": lambda p: torch.optim.SGD([p], lr=1e-2, momentum=0.9),
    "adagrad": lambda p: torch.optim.Adagrad([p], lr=1e-2),
    "rmsprop": lambda p: torch.optim.RMSprop([p], lr=1e-2),
}
SIZES = [("1m", 1 << 20, 5, 15), ("16m", 1 << 24, 2, 7)]


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def optimizer_steps():
    """Millions of parameters per second of opt.step(), median of the timed steps after warm-up."""
    out = {}
    for label, n, warmup, timed in SIZES:
        i = torch.arange(n, dtype=torch.float64)
        values = torch.sin(i * 0.7).float()
        grads = (torch.cos(i * 1.3) * 0.1).float()
        del i
        for key, make in OPTIMIZERS.items():
            p = torch.nn.Parameter(values.clone())
            p.grad = grads.clone()
            opt = make(p)
            times = []
            for k in range(warmup + timed):
                t0 = time.perf_counter()
                opt.step()
                dt = time.perf_counter() - t0
                if k >= warmup:
                    times.append(dt)
            out[f"{key}_f32_{label}_mparams_s"] = round(n / median(times) / 1e6, 1)
            del opt, p
    return out


def training(data_dir):
    """Samples per second of the reference training loop (Adam, lr 1e-3), median of 3 runs:
    digits, 64 hidden, batch 32, 20 epochs; 256-256, batch 128, 10 epochs."""
    digits = os.path.join(data_dir, "digits.csv")
    out = {}
    for key, hidden, epochs, batch in [("mlp64", [64], 20, 32), ("mlp256x256_b128", [256, 256], 10, 128)]:
        runs = [run(digits, "digit", hidden, "Adam", 0.001, epochs, batch) for _ in range(3)]
        out[f"train_digits_{key}_samples_s"] = round(median([r["samples_per_s"] for r in runs]))
        out[f"train_digits_{key}_test_acc"] = runs[0]["test_acc"]
    return out


if __name__ == "__main__":
    data_dir = sys.argv[1]
    what = sys.argv[2] if len(sys.argv) > 2 else "all"
    result = {"version": torch.__version__, "threads": torch.get_num_threads()}
    if what in ("optim", "all"):
        result.update(optimizer_steps())
    if what in ("train", "all"):
        result.update(training(data_dir))
    print(json.dumps(result), flush=True)
