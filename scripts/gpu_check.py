"""The GPU checks for issues 4 and 27, as one script to run once on a machine with a GPU.

    python3 scripts/gpu_check.py --out DIR            # on the GPU machine (a few minutes; under 8)
    python3 scripts/gpu_check.py --device cpu --quick # here: the same steps, small, to check the script

It needs only torch and numpy (the engine never imports Qt); the Time
Machine comes with the package. Steps, each printed as it ends and all
written to DIR/gpu_check.json:

1. Same math on the device: the fast scratch GRU against the book's code,
   outputs and all gradients (float32), and gradcheck of the hand-written
   backward in float64.
2. The CUDA graph against the eager step (issue 27): the book's scratch GRU
   trained for 200 batches (25 epochs; 2 with --quick) with `cuda_graph`
   auto and off, from the same seed: the graph's status (must be "on"), the
   largest differences of the per-epoch perplexities, of the 200 per-batch
   gradient norms and of the final weights, and both speeds.
3. A book run of the fast scratch GRU (500 epochs; 5 with --quick) and its
   final training perplexity (issue 4: at most 1.15), through the graph.
4. `gru-studio bench` on the device: tokens/s of the three models, the
   ratios, greedy generation (characters/s) and peak memory (issue 4:
   scratch at least 10x scratch-book and at least as fast as cuDNN's nn.GRU).
5. The fall-back: a graph made to disagree with the eager step, and one whose
   capture fails, must each end in the eager step with the reason given, and
   train as `cuda_graph="off"` does.

Off CUDA (--device cpu) steps 2 and 5 drive the same code with a stand-in
graph that runs the step eagerly (cuda_graph.EagerBackend): that checks the
script, not the GPU.
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
from gru_studio.engine.training import cuda_graph
from gru_studio.engine.training.events import EpochEnd, Finished
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
        "cuda_graph": trainer.cuda_graph,
        "sample": trainer.sample(),
    }


def stand_in(device: torch.device) -> type:
    """The graph to check: CUDA's own, or off CUDA the eager stand-in (which checks the script only)."""
    return cuda_graph.CudaBackend if device.type == "cuda" else cuda_graph.EagerBackend


def train_scratch(device: torch.device, epochs: int, setting: str, backend: object = None) -> dict[str, object]:
    """The book's scratch GRU from seed 0: per-epoch perplexities, per-batch norms, final weights, status."""
    corpus_config = CorpusConfig()
    train_config = TrainConfig(epochs=epochs, sample_every=0, device=str(device), cuda_graph=setting)
    trainer = create_trainer(load_corpus(corpus_config), corpus_config, ModelConfig(kind="scratch"), train_config)
    if backend is not None or device.type != "cuda":
        trainer.graph_backend = backend if backend is not None else stand_in(device)()
    events = list(trainer.run())
    ends = [e for e in events if isinstance(e, EpochEnd)]
    return {
        "status": trainer.cuda_graph,
        "perplexities": [e.perplexity for e in ends],
        "norms": [norm for e in ends for norm in e.grad_norms],
        "weights": {k: v.detach().cpu().clone() for k, v in trainer.model.state_dict().items()},
        "tokens_per_s": next(e for e in events if isinstance(e, Finished)).tokens_per_s,
    }


def differences(a: dict[str, object], b: dict[str, object]) -> dict[str, float]:
    """The largest relative differences between two runs' figures."""

    def relative(x: float, y: float) -> float:
        return abs(x - y) / max(abs(y), 1e-12)

    weights = max(
        ((a["weights"][k] - w).abs().max() / w.abs().max().clamp(min=1e-12)).item() for k, w in b["weights"].items()
    )
    return {
        "perplexity": max(relative(x, y) for x, y in zip(a["perplexities"], b["perplexities"], strict=True)),
        "grad_norm": max(relative(x, y) for x, y in zip(a["norms"], b["norms"], strict=True)),
        "weights": weights,
    }


def graph_vs_eager(device: torch.device, epochs: int) -> dict[str, object]:
    """Issue 27: the graph's run against the eager run, batch for batch (8 batches an epoch)."""
    graphed = train_scratch(device, epochs, "auto")
    eager = train_scratch(device, epochs, "off")
    return {
        "cuda_graph": graphed["status"],
        "batches": len(graphed["norms"]),
        "max_relative_difference": differences(graphed, eager),
        "tokens_per_s": {"graph": graphed["tokens_per_s"], "eager": eager["tokens_per_s"]},
        "speedup": graphed["tokens_per_s"] / eager["tokens_per_s"],
    }


def fallback(device: torch.device) -> dict[str, object]:
    """A graph that disagrees and one that cannot be captured: each must end in the eager step."""
    graph = stand_in(device)

    class Disagreeing(graph):
        def capture(self, fn):
            replay, out = super().capture(fn)

            def wrong() -> None:
                replay()
                out.mul_(1.001)  # a loss 0.1% off

            return wrong, out

    class Failing(graph):
        def capture(self, fn):
            raise RuntimeError("capture refused on purpose")

    epochs = 2
    eager = train_scratch(device, epochs, "off")
    report: dict[str, object] = {"off": eager["status"]}
    for name, backend in (("disagreeing", Disagreeing()), ("failing", Failing())):
        run = train_scratch(device, epochs, "auto", backend)
        report[name] = {"cuda_graph": run["status"], "max_relative_difference_from_off": differences(run, eager)}
    return report


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
        ("graph_vs_eager", lambda: graph_vs_eager(device, 2 if args.quick else 25)),
        ("book_run", lambda: book_run(args.device, 5 if args.quick else 500)),
        ("bench", lambda: bench(args.device, args.quick)),
        ("fallback", lambda: fallback(device)),
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for name, step in steps:
        start = time.perf_counter()
        try:
            report[name] = step()
        except Exception as exc:  # one failing step must not hide the others' results
            report[name] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"{name} ({time.perf_counter() - start:.0f} s): {json.dumps(report[name])}", flush=True)
        (args.out / "gpu_check.json").write_text(json.dumps(report, indent=2))  # what has run, if a later step fails
    report["seconds"] = time.perf_counter() - began
    (args.out / "gpu_check.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report), flush=True)  # the one JSON of the whole check
    return 0 if not any(isinstance(v, dict) and "error" in v for v in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
