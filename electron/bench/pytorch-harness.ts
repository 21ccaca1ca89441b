/**
 * bench_pytorch.py: written beside an exported train.py, it trains that network as train.py
 * does, batch by batch when asked, so NetCanvas's benchmark can time PyTorch and tfjs in
 * interleaved rounds. It imports train.py for its data, losses and optimizers.
 */
export const BENCH_PY = String.raw`"""Times the exported network's training step, as train.py takes it, for NetCanvas's benchmark.

    python bench_pytorch.py THREADS [DEVICE]

Prints one JSON line when ready ({"ready", "torch", "threads", "blas", "device", "batchSize"});
then, for each line "train N" on stdin, trains N batches and prints {"ms": ...}, the time
those batches took, measured here so the pipe's latency is not counted.
"""
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

threads = int(sys.argv[1])
torch.set_num_threads(threads)
device = torch.device(sys.argv[2] if len(sys.argv) > 2 else "cpu")

import train  # noqa: E402  the exported train.py: its functions, not its main()

CONFIG, SETTINGS = train.CONFIG, train.SETTINGS


def blas():
    """The BLAS torch's matrix products run on, read from the libraries this process has loaded."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            maps = f.read()
    except OSError:
        maps = ""
    paths = [line.split()[-1] for line in maps.splitlines() if len(line.split()) >= 6]
    libraries = [p for p in paths if "blas" in os.path.basename(p) or "mkl" in os.path.basename(p)]
    for path in libraries:
        name = os.path.basename(path)
        if "mkl" in name:
            return "MKL (" + path + ")"
        if "openblas" in path:
            return "OpenBLAS (" + path + ")"
        if "blis" in path:
            return "BLIS (" + path + ")"
    for path in libraries:
        if os.path.basename(path).startswith("libblas.so"):
            return "reference BLAS, unoptimised (" + path + "): install an optimised one, e.g. Debian's libopenblas0-pthread"
    shown = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS" in l]
    return "; ".join(shown) or "unknown"


data = train.train_data.load(CONFIG["data"], None)
examples, _ = train.splits(data)
batch_size = SETTINGS["batchSize"]
torch.manual_seed(SETTINGS["seed"])
net = train.exported.build_model().to(device).train()
params = [p for p in net.parameters() if p.requires_grad]
optimizer = train.make_optimizer(params, SETTINGS["learningRate"])
batches = max(1, examples.count // batch_size)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: train.rate_factor(step, batches, SETTINGS["epochs"] * batches))
outputs = CONFIG["outputs"]
dtype = torch.long if train.exported.INPUT_DTYPES[0] == "int64" else torch.float32
with_accuracy = "accuracy" in SETTINGS["metrics"] and CONFIG["task"] not in ("autoencode", "regress")
order = train.train_data.shuffled(examples.count, train.train_data.seeded_random(SETTINGS["seed"]))
done = 0


def step():
    """One batch exactly as train.py's loop trains it (one process, no augmentation)."""
    global done
    k = done % batches
    done += 1
    rate = optimizer.param_groups[0]["lr"]
    xs, ys = examples.batch(order[k * batch_size: (k + 1) * batch_size])
    out = net(xs.to(device, dtype))
    out = list(out) if isinstance(out, (list, tuple)) else [out]
    ys = ys.to(device)
    loss = sum(train.LOSSES[o["loss"]](p, ys).mean() for o, p in zip(outputs, out))
    acc = train.accuracy_of(out[0], ys, outputs[0]["loss"], outputs[0]["shape"]) if with_accuracy else None
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if SETTINGS["optimizer"] == "adamw":
        train.decay_weights(params, rate)
    scheduler.step()
    value = loss.item()
    if acc is not None:
        acc.item()
    if not math.isfinite(value):
        raise SystemExit(f"bench_pytorch.py: the loss became {value}")


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas(), "device": str(device), "batchSize": batch_size}), flush=True)
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] != "train" or len(words) != 2:
        raise SystemExit(f"bench_pytorch.py: expected 'train N', got {line.strip()!r}")
    started = time.perf_counter()
    for _ in range(int(words[1])):
        step()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000}), flush=True)
`;
