"""Ostinato's network, data and result format for PyTorch (used by train.py and reference_logits.py).

The network is the one Ostinato trains (model/lstm): token ids -> embedding [V, E] (the one-hot input
times a matrix) -> `layers` LSTM layers of `hidden` units (gate order i, f, g, o; dropout between
layers and before the output, training only) -> dense [H, V] -> softmax. The data is what
`ostinato export-dataset` writes (NumPy .npy, int32; see docs/scale.md). The result folder
(result.json + weights.bin) is what `ostinato import-model` reads: weights.bin holds the float32
little-endian tensors of the state_dict, one after the other, in the order and shapes listed in
result.json ("weights.tensors": name, shape, byte offset), under PyTorch's own names and layouts.
"""
import hashlib
import json
import math
import os

import numpy as np
import torch
from torch import nn

RESULT_FORMAT = "ostinato-torch-result"
RESULT_VERSION = 1
WEIGHTS_FILE = "weights.bin"


class OstinatoLstm(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_size, num_layers, dropout):
        super().__init__()
        self.config = {
            "vocabSize": vocab_size,
            "embeddingDim": embedding_dim,
            "hiddenSize": hidden_size,
            "numLayers": num_layers,
            "dropout": dropout,
        }
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(
            embedding_dim,
            hidden_size,
            num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.drop = nn.Dropout(dropout)
        self.output = nn.Linear(hidden_size, vocab_size)

    def forward(self, tokens, state=None):
        """tokens [B, T] (int64) -> logits [B, T, V], (h, c)."""
        h, state = self.lstm(self.embedding(tokens), state)
        return self.output(self.drop(h)), state

    def init_like_ostinato(self, generator):
        """Ostinato's initialisation (model/lstm/weights.ts): embedding uniform +-0.05, Glorot input
        and output kernels, orthogonal recurrent kernels, zero biases with the forget-gate bias at 1
        (in bias_ih; bias_hh stays 0, so their sum is Ostinato's bias)."""
        H = self.config["hiddenSize"]
        with torch.no_grad():
            self.embedding.weight.uniform_(-0.05, 0.05, generator=generator)
            for name, p in self.lstm.named_parameters():
                if name.startswith("weight_ih"):
                    glorot_(p, generator)
                elif name.startswith("weight_hh"):
                    # Ours is orthogonal as [H, 4H]; PyTorch stores its transpose [4H, H].
                    p.copy_(orthogonal(H, 4 * H, generator).t())
                else:
                    p.zero_()
                    if name.startswith("bias_ih"):
                        p[H : 2 * H] = 1.0
            glorot_(self.output.weight, generator)
            self.output.bias.zero_()


def glorot_(p, generator):
    fan_out, fan_in = p.shape  # PyTorch weights are [out, in]
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    p.uniform_(-limit, limit, generator=generator)


def orthogonal(rows, cols, generator):
    a = torch.randn(max(rows, cols), min(rows, cols), generator=generator, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    q = q if rows >= cols else q.t()
    return q.to(torch.float32)


def weight_specs(config):
    """The state_dict names and shapes, in the order they are saved (as torch-result.ts expects)."""
    V, E, H, L = (config[k] for k in ("vocabSize", "embeddingDim", "hiddenSize", "numLayers"))
    specs = [("embedding.weight", [V, E])]
    for l in range(L):
        specs += [
            (f"lstm.weight_ih_l{l}", [4 * H, E if l == 0 else H]),
            (f"lstm.weight_hh_l{l}", [4 * H, H]),
            (f"lstm.bias_ih_l{l}", [4 * H]),
            (f"lstm.bias_hh_l{l}", [4 * H]),
        ]
    return specs + [("output.weight", [V, H]), ("output.bias", [V])]


# ---------------------------------------------------------------- data (ostinato export-dataset)


def load_manifest(data_dir):
    with open(os.path.join(data_dir, "dataset.json"), encoding="utf-8") as f:
        m = json.load(f)
    if m.get("format") != "ostinato-dataset" or m.get("version", 0) > 1:
        raise SystemExit(f"{data_dir} is not a dataset written by `ostinato export-dataset` (version 1)")
    return m


def load_split(data_dir, manifest, split):
    """-> (inputs [W, T], targets [W, T], sequences: list of int64 arrays) of one split."""
    files = manifest["splits"][split]["files"]
    arr = lambda k: np.load(os.path.join(data_dir, files[k])).astype(np.int64)
    tokens, offsets = arr("tokens"), arr("offsets")
    seqs = [tokens[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    return arr("inputs"), arr("targets"), seqs


# ---------------------------------------------------------------- evaluation


@torch.no_grad()
def score_sequences(model, seqs, device, dtype=torch.float64, rows=16):
    """Sum of -ln p(next token), correct argmax predictions and predictions, over whole pieces
    (fresh state, <bos> given, <eos> predicted): what Ostinato's evaluator (model/eval) measures."""
    model.eval()
    nll, correct, count = 0.0, 0, 0
    order = sorted((i for i in range(len(seqs)) if len(seqs[i]) >= 2), key=lambda i: -len(seqs[i]))
    for k in range(0, len(order), rows):
        batch = [seqs[i] for i in order[k : k + rows]]
        T = len(batch[0]) - 1
        x = torch.zeros(len(batch), T, dtype=torch.int64)
        y = torch.full((len(batch), T), -1, dtype=torch.int64)
        for r, s in enumerate(batch):
            x[r, : len(s) - 1] = torch.from_numpy(s[:-1])
            y[r, : len(s) - 1] = torch.from_numpy(s[1:])
        x, y = x.to(device), y.to(device)
        logits, _ = model(x)
        logp = torch.log_softmax(logits.to(dtype), dim=-1)
        mask = y >= 0
        picked = logp.gather(-1, y.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        nll -= picked[mask].sum().item()
        correct += ((logp.argmax(-1) == y) & mask).sum().item()
        count += mask.sum().item()
    return nll, correct, count


# ---------------------------------------------------------------- result folder


def write_result(out_dir, model, name, training, held_out, manifest):
    """Writes weights.bin and result.json (each atomically, result.json last)."""
    os.makedirs(out_dir, exist_ok=True)
    state = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    blobs, tensors, offset = [], [], 0
    for key, shape in weight_specs(model.config):
        t = state[key]
        if list(t.shape) != shape:
            raise RuntimeError(f"{key} has shape {list(t.shape)}, expected {shape}")
        data = t.numpy().astype("<f4").tobytes()
        tensors.append({"name": key, "shape": shape, "offset": offset})
        blobs.append(data)
        offset += len(data)
    weights = b"".join(blobs)
    _write_atomic(os.path.join(out_dir, WEIGHTS_FILE), weights)
    dataset = {k: manifest[k] for k in ("vocabulary", "encoding", "seqLen", "split", "baselines")}
    dataset["splits"] = {
        s: {"pieces": manifest["splits"][s]["pieces"], "tokens": manifest["splits"][s]["tokens"]}
        for s in ("train", "valid")
    }
    result = {
        "format": RESULT_FORMAT,
        "version": RESULT_VERSION,
        "name": name,
        "createdAt": _now(),
        "lstm": model.config,
        "weights": {
            "file": WEIGHTS_FILE,
            "dtype": "float32",
            "bytes": len(weights),
            "sha256": hashlib.sha256(weights).hexdigest(),
            "tensors": tensors,
        },
        "training": training,
        "heldOutNll": held_out,
        "dataset": dataset,
    }
    _write_atomic(os.path.join(out_dir, "result.json"), (json.dumps(result, indent=1) + "\n").encode())
    return result


def _write_atomic(path, data):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _now():
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
