"""nn.GRU against nn.RNN at the book's settings on texts of b batches an epoch: where does the ranking hold?

    python scripts/short_text_measure.py --seed 0 --batches 0,1,2,3,4,6,7,8   # 0: the bundled sample

One JSON line per run: the text's tokens, the model, its final training
perplexity and a few on the way. The table in gru_studio/engine/text/comparable.py
(LEAST_BATCHES_TO_COMPARE) comes from here: 500 epochs, seeds 0 and 1, about
35 minutes per seed on 2 shared CPU cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.trainer import create_trainer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batches", default="0,1,2,3,4,6,7,8", help="batches an epoch; 0: the bundled sample")
    parser.add_argument("--models", default="builtin,rnn-builtin")
    args = parser.parse_args()
    book = TrainConfig()
    for batches in (int(b) for b in args.batches.split(",")):
        # The first tokens of the Time Machine that give exactly this many batches at the worst offset.
        size = batches * book.batch_size * book.num_steps + book.num_steps + 1
        corpus_config = CorpusConfig(source="sample") if batches == 0 else CorpusConfig(max_tokens=size)
        corpus = load_corpus(corpus_config)
        for kind in args.models.split(","):
            started = time.perf_counter()
            train_config = TrainConfig(epochs=args.epochs, sample_every=0, device="cpu", seed=args.seed, threads=1)
            trainer = create_trainer(corpus, corpus_config, ModelConfig(kind=kind), train_config)
            perplexities = [event.perplexity for event in trainer.run() if isinstance(event, EpochEnd)]
            record = {
                "text": corpus_config.source,
                "tokens": len(corpus.tokens),
                "batches": batches,
                "seed": args.seed,
                "model": kind,
                "final": perplexities[-1],
                "at": {n: perplexities[n - 1] for n in (50, 100, 200, 300) if n <= len(perplexities)},
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
