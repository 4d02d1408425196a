"""Trains Ostinato's network on an `ostinato export-dataset` folder with PyTorch's distributed
engine, then writes a result folder for `ostinato import-model`.

Start it with torchrun, one process per GPU (or per CPU worker):
  torchrun --nproc_per_node=2 scale/train.py --data DATA --out RESULT            # one machine
  torchrun --nnodes=4 --nproc_per_node=8 --rdzv_backend=c10d \\
           --rdzv_endpoint=HOST:29500 scale/train.py --data DATA --out RESULT    # a cluster
DistributedDataParallel with nccl on GPUs, gloo on CPUs (--backend overrides). Every rank loads the
whole dataset and a DistributedSampler gives it its share of the windows;
gradients are averaged across ranks at every step. Adam, global gradient-norm clipping, and the
app's learning-rate schedule (linear warmup over 5% of the steps, at most 100, then cosine decay to a
tenth). After every epoch the ranks score the valid split's whole pieces together (held-out NLL in
nats per predicted token, as Ostinato's evaluator measures it); the best epoch's weights are kept.
Rank 0 scores them once more in float64 and writes result.json (with that NLL) and weights.bin.
"""
import argparse
import copy
import math
import os
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ostinato_lstm as ol  # noqa: E402


def parse_args(defaults):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="folder written by `ostinato export-dataset`")
    p.add_argument("--out", required=True, help="result folder to write (for `ostinato import-model`)")
    p.add_argument("--name", default=None, help="model name (default: the result folder's name)")
    p.add_argument("--epochs", type=int, default=defaults["epochs"])
    p.add_argument("--hidden", type=int, default=defaults["hiddenSize"])
    p.add_argument("--layers", type=int, default=defaults["numLayers"], choices=[1, 2, 3])
    p.add_argument("--embedding", type=int, default=defaults["embeddingDim"])
    p.add_argument("--dropout", type=float, default=defaults["dropout"])
    p.add_argument("--batch", type=int, default=defaults["batchSize"], help="windows per rank and step")
    p.add_argument("--lr", type=float, default=defaults["learningRate"], help="peak learning rate")
    p.add_argument("--clip", type=float, default=defaults["clipNorm"], help="gradient-norm clipping")
    p.add_argument("--seed", type=int, default=defaults["seed"])
    p.add_argument("--backend", choices=["auto", "gloo", "nccl"], default="auto")
    return p.parse_args()


def learning_rate_at(step, peak, total, warmup):
    """model/train/schedule.ts learningRateAt, with minLearningRate = peak / 10."""
    low = peak * 0.1
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, max(0.0, (step - warmup) / max(1, total - warmup)))
    return low + (peak - low) * 0.5 * (1 + math.cos(math.pi * t))


def scored_together(model, seqs, rank, world, device):
    """Each rank scores every world-th piece; the sums are added up across ranks."""
    nll, correct, count = ol.score_sequences(model, seqs[rank::world], device, dtype=torch.float32)
    t = torch.tensor([nll, correct, count], dtype=torch.float64, device=device)
    dist.all_reduce(t)
    nll, correct, count = t.tolist()
    return nll / max(1, count), correct / max(1, count)


def main():
    manifest_only = argparse.ArgumentParser(add_help=False)
    manifest_only.add_argument("--data", required=True)
    known, _ = manifest_only.parse_known_args()
    manifest = ol.load_manifest(known.data)
    args = parse_args(manifest["training"])

    cuda = torch.cuda.is_available()
    backend = args.backend if args.backend != "auto" else ("nccl" if cuda else "gloo")
    dist.init_process_group(backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}" if backend == "nccl" else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    say = print if rank == 0 else (lambda *a, **k: None)

    V = len(manifest["vocabulary"])
    train_x, train_y, _ = ol.load_split(args.data, manifest, "train")
    _, _, valid_seqs = ol.load_split(args.data, manifest, "valid")
    torch.manual_seed(args.seed)
    model = ol.OstinatoLstm(V, args.embedding, args.hidden, args.layers, args.dropout)
    model.init_like_ostinato(torch.Generator().manual_seed(args.seed))
    model.to(device)
    ddp = DDP(model, device_ids=[local_rank] if device.type == "cuda" else None)
    data = TensorDataset(torch.from_numpy(train_x), torch.from_numpy(train_y))
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch, sampler=sampler)
    opt = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    total = args.epochs * len(loader)
    warmup = max(0, min(100, round(0.05 * total)))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-1, reduction="sum")
    say(
        f"training {sum(p.numel() for p in model.parameters()):,} parameters on {world} x {device.type} "
        f"({backend}), {len(data)} windows, {len(loader)} steps per epoch and rank"
    )

    history, best, best_state, step, started = [], None, None, 0, time.time()
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        sampler.set_epoch(epoch)
        ddp.train()
        sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss, correct, tokens
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            lr = learning_rate_at(step, args.lr, total, warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            logits, _ = ddp(x)
            tokens = (y >= 0).sum()
            loss = loss_fn(logits.reshape(-1, V), y.reshape(-1)) / tokens.clamp(min=1)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(ddp.parameters(), args.clip)
            opt.step()
            step += 1
            with torch.no_grad():
                sums += torch.stack(
                    [loss.detach().double() * tokens, ((logits.argmax(-1) == y) & (y >= 0)).sum().double(), tokens.double()]
                )
        train_seconds = time.time() - t0
        dist.all_reduce(sums)
        valid_nll, valid_acc = scored_together(model, valid_seqs, rank, world, device)
        rec = {
            "epoch": epoch,
            "trainLoss": sums[0].item() / max(1, sums[2].item()),
            "trainAccuracy": sums[1].item() / max(1, sums[2].item()),
            "validNll": valid_nll,
            "validAccuracy": valid_acc,
            "learningRate": learning_rate_at(max(0, step - 1), args.lr, total, warmup),
            "seconds": time.time() - t0,
            "tokensPerSecond": sums[2].item() / max(1e-9, train_seconds),
        }
        history.append(rec)
        if best is None or valid_nll < best["validNll"] - 1e-6:
            best, best_state = rec, copy.deepcopy(model.state_dict())
        say(
            f"epoch {epoch}: train loss {rec['trainLoss']:.4f} acc {100 * rec['trainAccuracy']:.1f}%, "
            f"held-out NLL {valid_nll:.4f} acc {100 * valid_acc:.1f}%, {rec['tokensPerSecond']:.0f} tok/s"
        )

    if rank == 0:
        model.load_state_dict(best_state)
        exact = copy.deepcopy(model).to(device).double()
        nll, correct, count = ol.score_sequences(exact, valid_seqs, device)
        held_out = {"nll": nll / max(1, count), "accuracy": correct / max(1, count), "tokens": count, "pieces": len(valid_seqs)}
        training = {
            "engine": f"pytorch {torch.__version__}",
            "backend": backend,
            "device": device.type,
            "worldSize": world,
            "epochs": args.epochs,
            "steps": step,
            "seconds": time.time() - started,
            "batchSize": args.batch,
            "learningRate": args.lr,
            "clipNorm": args.clip,
            "seed": args.seed,
            "bestEpoch": best["epoch"],
            "history": history,
        }
        name = args.name or os.path.basename(os.path.abspath(args.out))
        ol.write_result(args.out, model, name, training, held_out, manifest)
        print(f"held-out NLL {held_out['nll']:.6f} nats/token over {count} predictions (best epoch {best['epoch']}); wrote {args.out}")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
