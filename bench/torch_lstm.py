#!/usr/bin/env python3
"""PyTorch CPU reference for `npm run bench`: trains the same LSTM language model (one-hot input ->
embedding -> LSTM -> dense softmax, Adam, global-norm clipping) and prints one JSON line with
training tokens/s and peak memory. Used for comparison only, never at runtime."""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, vocab, emb, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x):
        h, _ = self.lstm(self.embedding(x))
        return self.out(h)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--vocab', type=int, default=64)
    p.add_argument('--embedding', type=int, default=64)
    p.add_argument('--hidden', type=int, default=256)
    p.add_argument('--layers', type=int, default=1)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--seq', type=int, default=64)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--threads', type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model(a.vocab, a.embedding, a.hidden, a.layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    x = torch.randint(0, a.vocab, (a.batch, a.seq))
    y = torch.randint(0, a.vocab, (a.batch, a.seq))

    def step():
        opt.zero_grad()
        logits = model(x)
        loss = loss_fn(logits.reshape(-1, a.vocab), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    step()  # warm-up
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    tokens = a.batch * a.seq * a.steps
    print(json.dumps({
        'tokensPerSec': tokens / wall,
        'cpuMsPerBatch': 1000 * cpu / a.steps,
        'wallMsPerBatch': 1000 * wall / a.steps,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
    }))


if __name__ == '__main__':
    main()
