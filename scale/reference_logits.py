"""For the conversion tests: a network with random weights (every bias too, both of PyTorch's)
for an `ostinato export-dataset` folder, saved as a result folder that `ostinato import-model`
reads, plus PyTorch's log-softmax outputs for a token sequence and its held-out NLL.

  python3 scale/reference_logits.py --data DATA --out RESULT --tokens 0,5,7,3 \\
      [--hidden 8] [--layers 2] [--embedding 5] [--seed 3]
writes RESULT/result.json, RESULT/weights.bin and RESULT/logits.json ({"logProbs": [[V floats] per
token]}, float32 computations as the network runs in float32).
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ostinato_lstm as ol  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tokens", required=True, help="comma-separated token ids")
    p.add_argument("--hidden", type=int, default=8)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embedding", type=int, default=5)
    p.add_argument("--seed", type=int, default=3)
    a = p.parse_args()
    manifest = ol.load_manifest(a.data)
    V = len(manifest["vocabulary"])
    torch.manual_seed(a.seed)
    model = ol.OstinatoLstm(V, a.embedding, a.hidden, a.layers, 0.0)
    with torch.no_grad():
        for prm in model.parameters():
            prm.uniform_(-0.6, 0.6)  # biases included: b_ih and b_hh differ, forget blocks too
    model.eval()
    tokens = torch.tensor([[int(t) for t in a.tokens.split(",")]], dtype=torch.int64)
    with torch.no_grad():
        logits, _ = model(tokens)
        log_probs = torch.log_softmax(logits, dim=-1)[0]
    _, _, valid = ol.load_split(a.data, manifest, "valid")
    exact = ol.OstinatoLstm(V, a.embedding, a.hidden, a.layers, 0.0).double()
    exact.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    nll, correct, count = ol.score_sequences(exact, valid, torch.device("cpu"))
    held_out = {"nll": nll / count, "accuracy": correct / count, "tokens": count, "pieces": len(valid)}
    training = {
        "engine": f"pytorch {torch.__version__}",
        "backend": "none",
        "device": "cpu",
        "worldSize": 1,
        "epochs": 0,
        "steps": 0,
        "seconds": 0,
        "batchSize": 1,
        "learningRate": 0.001,
        "clipNorm": 1,
        "seed": a.seed,
        "bestEpoch": 0,
        "history": [],
    }
    ol.write_result(a.out, model, "reference", training, held_out, manifest)
    with open(os.path.join(a.out, "logits.json"), "w", encoding="utf-8") as f:
        json.dump({"logProbs": log_probs.tolist(), "heldOutNll": held_out["nll"]}, f)


if __name__ == "__main__":
    main()
