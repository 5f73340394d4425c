from gru_studio.engine.bench import run_bench
from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.corpus import load_corpus


def test_bench_reports_every_model_and_ratio() -> None:
    corpus = load_corpus(CorpusConfig(source="sample"))
    lines: list[str] = []
    result = run_bench(rounds=2, epochs=1, gen_length=20, corpus=corpus, progress=lines.append)
    summary = result.summary()
    assert set(summary["models"]) == {"scratch-book", "scratch", "builtin"}
    for figures in summary["models"].values():
        assert figures["tokens_per_s_min"] <= figures["tokens_per_s_median"] <= figures["tokens_per_s_max"]
        assert figures["generate_chars_per_s_median"] > 0
    assert set(summary["ratios_median"]) == {"scratch/scratch-book", "scratch/builtin", "builtin/scratch-book"}
    assert len(result.ratios["scratch/builtin"]) == 2 and len(lines) == 6
    first_round = [line.split(":")[0].split()[-1] for line in lines[:3]]
    second_round = [line.split(":")[0].split()[-1] for line in lines[3:]]
    assert first_round != second_round  # the order rotates between rounds
    assert summary["machine"]["torch"] == __import__("torch").__version__
