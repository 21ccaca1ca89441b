/** train.py: trains the exported model with the run's settings on one CPU, one GPU or many processes (torchrun). */
export const TRAIN_PY = String.raw`"""Trains the exported network with the run's settings, on one CPU, one GPU or many (torchrun).

    python train.py                      one process: the GPU when there is one, else the CPU
    torchrun --nproc_per_node=4 train.py four GPUs of one machine
    python train.py --resume             goes on from checkpoints/last.pt

Settings come from train_config.json; the flags below override a few of them.
"""
import argparse
import csv
import io
import json
import math
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data.distributed import DistributedSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import model as exported  # noqa: E402
import train_data  # noqa: E402

with open(os.path.join(HERE, "train_config.json"), encoding="utf-8") as f:
    CONFIG = json.load(f)
SETTINGS = CONFIG["settings"]
# tfjs's epsilon: its losses clip probabilities to [EPSILON, 1 - EPSILON], its Adam and RMSprop add it.
EPSILON = 1e-7
VALIDATION_WINDOWS = 2048


def parse_args():
    p = argparse.ArgumentParser(description="Train " + CONFIG["name"] + " as NetCanvas does.")
    p.add_argument("--data", help="the dataset's file or folder, instead of the path recorded at export")
    p.add_argument("--epochs", type=int, default=SETTINGS["epochs"], help="epochs in all, counting those of a resumed run (default %(default)s)")
    p.add_argument("--batch-size", type=int, default=SETTINGS["batchSize"], help="examples per step in each process (default %(default)s)")
    p.add_argument("--learning-rate", type=float, default=SETTINGS["learningRate"], help="the base learning rate (default %(default)s)")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (the epoch then ends there): a quick check")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: the GPU LOCAL_RANK names when there is one, else the CPU)")
    p.add_argument("--resume", action="store_true", help="go on from <out>/checkpoints/last.pt")
    p.add_argument("--from-weights", nargs="?", const="", default=None, metavar="FILE", help="start from the exported trained weights (or FILE) instead of fresh ones: fine-tuning" + (" (the default here: the exported run started from weights)" if CONFIG.get("startsFromWeights") else ""))
    p.add_argument("--fresh", action="store_true", help="start from fresh weights (PyTorch's default initialization), even though the exported run started from weights")
    p.add_argument("--out", default=HERE, help="where checkpoints/ and logs/ go (default: beside train.py)")
    args = p.parse_args()
    if args.fresh and args.from_weights is not None:
        p.error("--fresh and --from-weights say opposite things: give one of them")
    if args.from_weights is None and CONFIG.get("startsFromWeights") and not args.fresh:
        args.from_weights = ""
    return args


# Losses as tfjs computes them: on probabilities (the network's last layer applies softmax or sigmoid).

def categorical(pred, target):
    p = pred / pred.sum(-1, keepdim=True)
    p = p.clamp(EPSILON, 1 - EPSILON)
    return -(target * p.log()).sum(-1)


def sparse_categorical(pred, target):
    classes = pred.shape[-1]
    p = pred.clamp(EPSILON, 1 - EPSILON).reshape(-1, classes)
    one_hot = F.one_hot(target.reshape(-1).long(), classes).to(p.dtype)
    return categorical(p, one_hot)


def binary(pred, target):
    y = pred.clamp(EPSILON, 1 - EPSILON)
    return F.binary_cross_entropy_with_logits((y / (1 - y)).log(), target.to(y.dtype), reduction="none").mean(-1)


def huber(pred, target):
    return F.huber_loss(pred, target.to(pred.dtype), reduction="none", delta=1.0).mean(-1)


LOSSES = {
    "categoricalCrossentropy": categorical,
    "sparseCategoricalCrossentropy": sparse_categorical,
    "binaryCrossentropy": binary,
    "meanSquaredError": lambda p, t: ((p - t.to(p.dtype)) ** 2).mean(-1),
    "meanAbsoluteError": lambda p, t: (p - t.to(p.dtype)).abs().mean(-1),
    "huber": huber,
}


def accuracy_of(pred, target, loss, output_shape):
    """tfjs's 'accuracy': binary for one unit or binary cross-entropy, sparse for sparse labels, else categorical."""
    if output_shape[-1] == 1 or loss == "binaryCrossentropy":
        hits = ((pred > 0.5).to(pred.dtype) == target.to(pred.dtype)).float()
    elif loss == "sparseCategoricalCrossentropy":
        hits = (pred.argmax(-1).reshape(-1) == target.reshape(-1).long()).float()
    else:
        hits = (pred.argmax(-1) == target.argmax(-1)).float()
    return hits.mean()


# Optimizers with tfjs's hyper-parameters.

class TfjsRMSprop(torch.optim.Optimizer):
    """tfjs's RMSprop: decay 0.9, no momentum, epsilon inside the square root (PyTorch adds it outside)."""

    def __init__(self, params, lr, decay=0.9, eps=EPSILON):
        super().__init__(params, {"lr": lr, "decay": decay, "eps": eps})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "square" not in state:
                    state["square"] = torch.zeros_like(p)
                square = state["square"]
                square.mul_(group["decay"]).addcmul_(p.grad, p.grad, value=1 - group["decay"])
                p.addcdiv_(p.grad, (square + group["eps"]).sqrt(), value=-group["lr"])


def make_optimizer(params, rate):
    kind = SETTINGS["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=rate)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=rate, momentum=SETTINGS["momentum"])
    if kind in ("adam", "adamw"):
        # AdamW's decay is applied after each step, as NetCanvas does (decay_weights).
        return torch.optim.Adam(params, lr=rate, betas=(0.9, 0.999), eps=EPSILON)
    if kind == "rmsprop":
        return TfjsRMSprop(params, lr=rate)
    raise SystemExit("train.py: unknown optimizer " + kind)


def decay_weights(params, rate):
    """Decoupled weight decay (AdamW): w <- w - rate * decay * w, on kernels and embeddings (tensors of 2 or more axes), not on biases or norms."""
    keep = 1 - rate * SETTINGS["weightDecay"]
    with torch.no_grad():
        for p in params:
            if p.ndim >= 2:
                p.mul_(keep)


def rate_factor(step, batches, total_batches):
    """The schedule as a factor of the base rate at a step: NetCanvas's learningRateAt."""
    schedule = SETTINGS["schedule"]
    if schedule["kind"] == "step":
        epoch = step // batches + 1
        return schedule["factor"] ** ((epoch - 1) // schedule["everyEpochs"])
    if schedule["kind"] == "cosine":
        progress = step / (total_batches - 1) if total_batches > 1 else 0
        floor = schedule["minFactor"]
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1, max(0, progress))))
    return 1.0


# Examples as the network reads them.

class Examples:
    """A split as batches: inputs shaped as the network's Input, targets as its loss wants them."""

    def __init__(self, count, make):
        self.count = count
        self.make = make

    def batch(self, indices):
        return self.make(np.asarray(indices, dtype=np.int64))


def supervised(split, target_kind):
    x, y = split
    task = CONFIG["task"]
    input_shape = CONFIG["input"]["shape"]
    output_shape = CONFIG["outputs"][0]["shape"]
    sparse = SETTINGS["loss"] == "sparseCategoricalCrossentropy"
    classes = CONFIG.get("numClasses") or output_shape[-1]
    binary_target = target_kind == "classes" and classes == 2 and output_shape == [1]

    def make(idx):
        n = len(idx)
        xs = torch.from_numpy(x[idx].reshape([n] + input_shape))
        if task == "autoencode":
            ys = xs.reshape([n] + output_shape)
        elif target_kind == "values":
            ys = torch.from_numpy(y[idx].reshape(n, -1))
        elif binary_target:
            ys = torch.from_numpy(y[idx].astype(np.float32)).reshape(n, 1)
        elif sparse:
            ys = torch.from_numpy(y[idx])
        else:
            ys = F.one_hot(torch.from_numpy(y[idx]), classes).float()
        return xs, ys

    return Examples(len(x), make)


def windows(ids, stride, vocabulary):
    """Windows of a text, each with what comes next: every stride tokens."""
    length = CONFIG["input"]["shape"][0]
    one_hot_input = len(CONFIG["input"]["shape"]) == 2
    every_step = len(CONFIG["outputs"][0]["shape"]) == 2
    sparse = SETTINGS["loss"] == "sparseCategoricalCrossentropy"
    count = max(0, (len(ids) - length - 1) // stride + 1)
    ids = torch.from_numpy(ids)

    def make(idx):
        starts = torch.from_numpy(idx) * stride
        positions = starts[:, None] + torch.arange(length)[None, :]
        xs = ids[positions]
        ys = ids[positions + 1] if every_step else ids[starts + length]
        if every_step and sparse:
            ys = ys[..., None]
        if one_hot_input:
            xs = F.one_hot(xs, vocabulary).float()
        if not sparse:
            ys = F.one_hot(ys, vocabulary).float()
        return xs, ys

    return Examples(count, make)


class Subset(Examples):
    def __init__(self, examples, rows):
        rows = np.asarray(rows, dtype=np.int64)
        super().__init__(len(rows), lambda idx: examples.batch(rows[idx]))


def splits(data):
    """Training and validation examples, split as NetCanvas splits them."""
    validation = SETTINGS["validation"]
    if data["target"] == "next-token":
        ids, start = data["ids"], data["testStart"]
        train = windows(ids[:start], data["stride"], data["vocabulary"])
        if validation["kind"] == "split":
            held = max(1, train_data.js_round(train.count * validation["fraction"]))
            return Subset(train, range(train.count - held)), Subset(train, range(train.count - held, train.count))
        test = windows(ids[start:], CONFIG["input"]["shape"][0], data["vocabulary"])
        return train, Subset(test, range(min(test.count, VALIDATION_WINDOWS)))
    train = supervised(data["train"], data["target"])
    if validation["kind"] == "test":
        return train, supervised(data["test"], data["target"])
    held = max(1, train_data.js_round(train.count * validation["fraction"]))
    order = train_data.seeded_order(train.count, 1)
    return Subset(train, order[: train.count - held]), Subset(train, order[train.count - held:])


class NetCanvasSampler(DistributedSampler):
    """Each epoch's order as NetCanvas shuffles it (seeded by the run's seed and the epoch), shared out between processes."""

    def __init__(self, count, used, world, rank):
        super().__init__(range(count), num_replicas=world, rank=rank, shuffle=True, seed=SETTINGS["seed"])
        self.count = count
        self.used = used
        self.num_samples = math.ceil(used / world)
        self.total_size = self.num_samples * world

    def __iter__(self):
        order = train_data.shuffled(self.count, train_data.seeded_random(SETTINGS["seed"] * 100003 + self.epoch))[: self.used]
        order = np.concatenate([order, order[: self.total_size - len(order)]])
        return iter(order[self.rank: self.total_size: self.num_replicas].tolist())


# Checkpoints and logs, written by rank 0 only and atomically.

def save_atomically(write, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".tmp"
    write(temporary)
    os.replace(temporary, path)


def write_history(history, path):
    def write(temporary):
        with open(temporary, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["epoch", "loss", "acc", "val_loss", "val_acc", "learning_rate"])
            for r in history:
                out.writerow([r["epoch"], r["loss"], "" if r["acc"] is None else r["acc"], "" if r["valLoss"] is None else r["valLoss"], "" if r["valAcc"] is None else r["valAcc"], r["learningRate"]])

    save_atomically(write, path)


def fmt(v):
    return "-" if v is None else f"{v:.4f}"


def main():
    args = parse_args()
    if CONFIG["task"] == "gan":
        raise SystemExit("train.py: training a GAN (generator and discriminator in turn) is not provided for PyTorch; train it in NetCanvas.")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if args.device:
        device = torch.device(args.device)
    else:
        device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo", rank=rank, world_size=world)
    lead = rank == 0

    data = train_data.load(CONFIG["data"], args.data)
    train, validation = splits(data)
    # Training batches of images only, with NetCanvas's seeded randomness (its seed + 2) on the first process.
    augment = train_data.augmenter(CONFIG.get("augmentation"), data, SETTINGS["seed"] + 2 + 7919 * rank)
    used = min(train.count, SETTINGS["samplesPerEpoch"] or train.count)
    sampler = NetCanvasSampler(train.count, used, world, rank)
    batches = math.ceil(sampler.num_samples / args.batch_size)
    if SETTINGS["maxBatches"]:
        batches = min(batches, SETTINGS["maxBatches"])
    total_batches = args.epochs * batches

    # The same fresh weights in every process; then each its own randomness (dropout).
    torch.manual_seed(SETTINGS["seed"])
    np.random.seed(SETTINGS["seed"])
    if args.from_weights is not None:
        net = exported.load_model(args.from_weights or None)
    else:
        net = exported.build_model()
    net.to(device).train()
    torch.manual_seed(SETTINGS["seed"] + rank)
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = make_optimizer(params, args.learning_rate)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: rate_factor(step, batches, total_batches))

    checkpoints = os.path.join(args.out, "checkpoints")
    logs = os.path.join(args.out, "logs")
    first_epoch, step, best, since_best, history = 1, 0, None, 0, []
    if args.resume:
        last = os.path.join(checkpoints, "last.pt")
        if not os.path.exists(last):
            raise SystemExit(f"train.py: --resume needs {last}, which is not there: train once without --resume first.")
        state = torch.load(last, map_location=device)
        net.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        first_epoch, step, best, since_best, history = state["epoch"] + 1, state["step"], state["best"], state["sinceBest"], state["history"]
        if lead:
            print(f"resuming after epoch {state['epoch']}", flush=True)
    model = DistributedDataParallel(net, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else net

    outputs = CONFIG["outputs"]
    dtype = torch.long if exported.INPUT_DTYPES[0] == "int64" else torch.float32
    with_accuracy = "accuracy" in SETTINGS["metrics"] and CONFIG["task"] not in ("autoencode", "regress")

    def forward(xs, ys):
        out = model(xs.to(device, dtype))
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        ys = ys.to(device)
        loss = sum(LOSSES[o["loss"]](p, ys).mean() for o, p in zip(outputs, out))
        acc = accuracy_of(out[0], ys, outputs[0]["loss"], outputs[0]["shape"]) if with_accuracy else None
        return loss, acc

    def all_sum(values):
        t = torch.tensor(values, dtype=torch.float64, device=device)
        if world > 1:
            dist.all_reduce(t)
        return t.tolist()

    def validate():
        if validation.count == 0:
            return None, None
        model.eval()
        loss_sum = acc_sum = 0.0
        mine = np.arange(rank, validation.count, world)
        chunk = max(args.batch_size, 500)
        with torch.no_grad():
            for at in range(0, len(mine), chunk):
                idx = mine[at: at + chunk]
                loss, acc = forward(*validation.batch(idx))
                loss_sum += loss.item() * len(idx)
                acc_sum += (acc.item() if acc is not None else 0) * len(idx)
        model.train()
        loss_sum, acc_sum, n = all_sum([loss_sum, acc_sum, len(mine)])
        return loss_sum / n, (acc_sum / n if with_accuracy else None)

    steps_here = 0
    stopped = False
    for epoch in range(first_epoch, args.epochs + 1):
        sampler.set_epoch(epoch)
        order = list(sampler)
        sums = [0.0, 0.0, 0]
        rate = optimizer.param_groups[0]["lr"]
        for b in range(batches):
            idx = order[b * args.batch_size: (b + 1) * args.batch_size]
            if not idx:
                break
            rate = optimizer.param_groups[0]["lr"]
            xs, ys = train.batch(idx)
            loss, acc = forward(augment(xs), ys)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if SETTINGS["optimizer"] == "adamw":
                decay_weights(params, rate)
            scheduler.step()
            step += 1
            steps_here += 1
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit(f"train.py: the loss became {value} at epoch {epoch}, step {step}: lower the learning rate (now {rate}).")
            sums[0] += value * len(idx)
            sums[1] += (acc.item() if acc is not None else 0) * len(idx)
            sums[2] += len(idx)
            if args.max_steps is not None and steps_here >= args.max_steps:
                stopped = True
                break
        loss_sum, acc_sum, seen = all_sum(sums)
        val_loss, val_acc = validate()
        record = {"epoch": epoch, "loss": loss_sum / seen, "acc": acc_sum / seen if with_accuracy else None, "valLoss": val_loss, "valAcc": val_acc, "learningRate": rate}
        history.append(record)
        monitored = val_loss if val_loss is not None else record["loss"]
        early = SETTINGS["earlyStopping"]
        improved = best is None or monitored < best - (early["minDelta"] if early else 0)
        if improved:
            best, since_best = monitored, 0
        else:
            since_best += 1
        if lead:
            print(f"epoch {epoch}/{args.epochs}  loss {fmt(record['loss'])}  acc {fmt(record['acc'])}  val_loss {fmt(val_loss)}  val_acc {fmt(val_acc)}  lr {rate:.6g}", flush=True)
            state = {"model": net.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "epoch": epoch, "step": step, "best": best, "sinceBest": since_best, "history": history}
            save_atomically(lambda p: torch.save(state, p), os.path.join(checkpoints, "last.pt"))
            if improved:
                save_atomically(lambda p: torch.save(state, p), os.path.join(checkpoints, "best.pt"))
            write_history(history, os.path.join(logs, "history.csv"))
        if stopped:
            break
        if early and since_best >= early["patience"] and epoch < args.epochs:
            if lead:
                print(f"stopped early: the validation loss has not improved for {since_best} epochs", flush=True)
            break
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
