"""The GPU checks for issue 4, as one script to run once on a machine with a GPU.

    python3 scripts/gpu_check.py --out DIR            # on the GPU machine
    python3 scripts/gpu_check.py --device cpu --quick # here: the same steps, small, to check the script

It needs only torch and numpy (the engine never imports Qt); the Time
Machine comes with the package. Steps, each printed as it ends and all
written to DIR/gpu_check.json:

1. Same math on the device: the fast scratch GRU against the book's code,
   outputs and all gradients (float32), and gradcheck of the hand-written
   backward in float64.
2. A book run of the fast scratch GRU (500 epochs; 5 with --quick) and its
   final training perplexity (issue 4: at most 1.15).
3. `gru-studio bench` on the device: tokens/s of the three models, the
   ratios, greedy generation and peak memory (issue 4: scratch at least 10x
   scratch-book and at least as fast as cuDNN's nn.GRU).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.experiments.bench import run_bench
from gru_studio.engine.models import FastScratchGRU, ScratchGRU
from gru_studio.engine.models.fast_scratch import GRUFunction
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import Finished
from gru_studio.engine.training.trainer import create_trainer


def same_math(device: torch.device) -> dict[str, float | bool]:
    torch.manual_seed(0)
    book = ScratchGRU(28, 256).to(device)
    with torch.no_grad():
        for p in book.parameters():
            p.normal_(0, 0.1)
    fast = FastScratchGRU(28, 256).to(device)
    fast.load_state_dict(book.state_dict())
    X, Y = torch.randint(0, 28, (32, 35), device=device), torch.randint(0, 28, (35 * 32,), device=device)
    H0 = torch.randn(32, 256, device=device) * 0.5
    results = []
    for model in (book, fast):
        logits, state = model(X, H0)
        (F.cross_entropy(logits, Y) + (state**2).sum()).backward()
        results.append((logits, {n: p.grad for n, p in model.named_parameters()}))
    (book_logits, book_grads), (fast_logits, fast_grads) = results
    worst_grad = max(
        ((fast_grads[n] - g).abs().max() / g.abs().max().clamp(min=1e-12)).item() for n, g in book_grads.items()
    )
    T, B, V, H = 4, 3, 5, 6
    inputs = torch.randint(0, V, (T, B), device=device)
    shapes = [(B, H), (V, 3 * H), (3 * H,), (H, 2 * H), (H, H)]
    tensors = [(torch.randn(*s, dtype=torch.float64, device=device) * 0.5).requires_grad_(True) for s in shapes]
    return {
        "max_logit_difference": (fast_logits - book_logits).abs().max().item(),
        "max_relative_gradient_difference": worst_grad,
        "gradcheck_float64": torch.autograd.gradcheck(lambda *ts: GRUFunction.apply(inputs, *ts), tensors),
    }


def book_run(device: str, epochs: int) -> dict[str, float]:
    corpus_config = CorpusConfig()
    trainer = create_trainer(
        load_corpus(corpus_config),
        corpus_config,
        ModelConfig(kind="scratch"),
        TrainConfig(epochs=epochs, sample_every=0, device=device),
    )
    start = time.perf_counter()
    finished = next(e for e in trainer.run() if isinstance(e, Finished))
    return {
        "epochs": epochs,
        "perplexity": finished.perplexity,
        "tokens_per_s": finished.tokens_per_s,
        "seconds": time.perf_counter() - start,
        "sample": trainer.sample(),
    }


def bench(device: str, quick: bool) -> dict[str, object]:
    if quick:
        return run_bench(device=device, rounds=1, epochs=1, gen_length=50).summary()
    return run_bench(device=device, rounds=5).summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script itself")
    parser.add_argument("--out", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    device = torch.device(args.device)
    report: dict[str, object] = {"torch": torch.__version__, "device": str(device)}
    if device.type == "cuda":
        report["gpu"] = torch.cuda.get_device_name(device)
    steps = [
        ("same_math", lambda: same_math(device)),
        ("book_run", lambda: book_run(args.device, 5 if args.quick else 500)),
        ("bench", lambda: bench(args.device, args.quick)),
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    for name, step in steps:
        start = time.perf_counter()
        report[name] = step()
        print(f"{name} ({time.perf_counter() - start:.0f} s): {json.dumps(report[name])}", flush=True)
        (args.out / "gpu_check.json").write_text(json.dumps(report, indent=2))  # what has run, if a later step fails
    return 0


if __name__ == "__main__":
    sys.exit(main())
