/**
 * netcanvas_engine.py: written beside an exported train.py, it trains that network batch by
 * batch as NetCanvas asks, for the PyTorch engine and for the benchmark. It imports train.py
 * for its data, splits, losses and optimizers, so it trains what a user's train.py trains.
 */
export const ENGINE_SCRIPT = 'netcanvas_engine.py';

export const ENGINE_PY = String.raw`"""NetCanvas's PyTorch engine: trains the exported network step by step, as NetCanvas asks.

    python netcanvas_engine.py [--device auto|cpu|cuda|cuda:N|mps] [--threads N]

The first line it prints says what it runs on ({"ready", "torch", "device", "threads", "blas",
"trainCount", "validationCount"}). Then it reads one JSON request a line on stdin and answers
each with one JSON line on stdout:

    {"op": "train", "indices": [...], "rate": r}  one step on those training examples: {"loss", "acc"}
    {"op": "validate"}                             the validation split: {"valLoss", "valAcc"}
    {"op": "save", "path": p}                      weights (model/...) and optimizer state (optimizer/...) as safetensors: {}
    {"op": "load", "path": p}                      the same, read back; optimizer state only where the file has it: {"optimizer"}
    {"op": "time", "batches": n}                   n steps on the split's first batches, timed here: {"ms"}

A request that fails answers {"error": "..."}; the process ends when stdin closes.
"""
import argparse
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

parser = argparse.ArgumentParser(description="Trains the exported network step by step for NetCanvas.")
parser.add_argument("--device", default="auto")
parser.add_argument("--threads", type=int, default=0)
args = parser.parse_args()
if args.threads > 0:
    torch.set_num_threads(args.threads)


def pick_device(name):
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


device = pick_device(args.device)

import train  # noqa: E402  the exported train.py: its functions, not its main()

CONFIG, SETTINGS = train.CONFIG, train.SETTINGS
if CONFIG["task"] == "gan":
    raise SystemExit("netcanvas_engine.py: a GAN's two networks train in turn, which train.py does not do.")


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
    shown = [line.strip() for line in torch.__config__.show().splitlines() if "BLAS" in line]
    return "; ".join(shown) or "unknown"


def describe_device():
    if device.type == "cuda":
        return "cuda (" + torch.cuda.get_device_name(device) + ")"
    if device.type == "mps":
        return "mps (Apple GPU)"
    return "cpu"


data = train.train_data.load(CONFIG["data"], None)
examples, validation = train.splits(data)
augment = train.train_data.augmenter(CONFIG.get("augmentation"), data, SETTINGS["seed"] + 2)
torch.manual_seed(SETTINGS["seed"])
np.random.seed(SETTINGS["seed"])
net = train.exported.build_model().to(device).train()
params = [p for p in net.parameters() if p.requires_grad]
optimizer = train.make_optimizer(params, SETTINGS["learningRate"])
outputs = CONFIG["outputs"]
dtype = torch.long if train.exported.INPUT_DTYPES[0] == "int64" else torch.float32
with_accuracy = "accuracy" in SETTINGS["metrics"] and CONFIG["task"] not in ("autoencode", "regress")


def forward(xs, ys):
    out = net(xs.to(device, dtype))
    out = list(out) if isinstance(out, (list, tuple)) else [out]
    ys = ys.to(device)
    loss = sum(train.LOSSES[o["loss"]](p, ys).mean() for o, p in zip(outputs, out))
    acc = train.accuracy_of(out[0], ys, outputs[0]["loss"], outputs[0]["shape"]) if with_accuracy else None
    return loss, acc


def number(value):
    """A float as JSON can carry it: NaN and the infinities as their names."""
    return value if math.isfinite(value) else str(value)


def step(indices, rate, augmented=True):
    for group in optimizer.param_groups:
        group["lr"] = rate
    xs, ys = examples.batch(indices)
    loss, acc = forward(augment(xs) if augmented else xs, ys)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if SETTINGS["optimizer"] == "adamw":
        train.decay_weights(params, rate)
    return {"loss": number(loss.item()), "acc": number(acc.item()) if acc is not None else None}


def validate():
    if validation.count == 0:
        return {"valLoss": None, "valAcc": None}
    net.eval()
    loss_sum = acc_sum = 0.0
    chunk = max(SETTINGS["batchSize"], 500)
    with torch.no_grad():
        for at in range(0, validation.count, chunk):
            idx = np.arange(at, min(at + chunk, validation.count))
            loss, acc = forward(*validation.batch(idx))
            loss_sum += loss.item() * len(idx)
            acc_sum += (acc.item() if acc is not None else 0) * len(idx)
    net.train()
    return {"valLoss": number(loss_sum / validation.count), "valAcc": number(acc_sum / validation.count) if with_accuracy else None}


def write_safetensors(tensors, path):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        values = tensor.detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4")
        blob = values.tobytes()
        header[name] = {"dtype": "F32", "shape": list(values.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header).encode("utf-8")
    head += b" " * ((8 - (8 + len(head)) % 8) % 8)
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for blob in blobs:
            f.write(blob)
    os.replace(temporary, path)


def save(path):
    tensors = {"model/" + key: value for key, value in net.state_dict().items() if value.is_floating_point()}
    for index, slots in optimizer.state_dict()["state"].items():
        for slot, value in slots.items():
            tensors[f"optimizer/{index}/{slot}"] = value if torch.is_tensor(value) else torch.tensor(float(value))
    write_safetensors(tensors, path)
    return {}


def load(path):
    tensors = train.exported.read_safetensors(path)
    model = {key[len("model/"):]: value for key, value in tensors.items() if key.startswith("model/")}
    missing = [key for key, value in net.state_dict().items() if value.is_floating_point() and key not in model]
    if missing:
        raise ValueError(path + " has no " + ", ".join(missing))
    net.load_state_dict(model, strict=False)
    state = {}
    for key, value in tensors.items():
        if key.startswith("optimizer/"):
            _, index, slot = key.split("/", 2)
            state.setdefault(int(index), {})[slot] = value.to(device)
    if state:
        optimizer.load_state_dict({"state": state, "param_groups": optimizer.state_dict()["param_groups"]})
    return {"optimizer": bool(state)}


def timed(batches):
    size = SETTINGS["batchSize"]
    per_epoch = max(1, examples.count // size)
    order = train.train_data.shuffled(examples.count, train.train_data.seeded_random(SETTINGS["seed"]))
    started = time.perf_counter()
    for k in range(batches):
        at = (k % per_epoch) * size
        step(order[at: at + size], SETTINGS["learningRate"], augmented=False)
    if device.type == "cuda":
        torch.cuda.synchronize()
    return {"ms": (time.perf_counter() - started) * 1000}


def answer(request):
    op = request.get("op")
    if op == "train":
        return step(np.asarray(request["indices"], dtype=np.int64), float(request["rate"]))
    if op == "validate":
        return validate()
    if op == "save":
        return save(request["path"])
    if op == "load":
        return load(request["path"])
    if op == "time":
        return timed(int(request["batches"]))
    raise ValueError("unknown request " + json.dumps(op))


print(json.dumps({"ready": True, "torch": torch.__version__, "device": describe_device(), "threads": torch.get_num_threads(), "blas": blas(),
                  "trainCount": examples.count, "validationCount": validation.count}), flush=True)
for line in sys.stdin:
    if not line.strip():
        continue
    try:
        reply = answer(json.loads(line))
    except Exception as err:  # noqa: BLE001  every failure goes back to NetCanvas in words
        reply = {"error": f"{type(err).__name__}: {err}"}
    print(json.dumps(reply), flush=True)
`;
