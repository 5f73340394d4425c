"""scripts/gpu_check.py is run once, on a borrowed GPU machine: it must work the first time there."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "gpu_check.py"


def test_the_gpu_checks_run_end_to_end_on_the_cpu(tmp_path, capsys) -> None:
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--device", "cpu", "--quick", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "gpu_check.json").read_text())
    assert report["device"] == "cpu"
    same = report["same_math"]
    assert same["gradcheck_float64"] is True
    assert same["max_logit_difference"] < 1e-5 and same["max_relative_gradient_difference"] < 1e-4
    assert report["book_run"]["epochs"] == 5 and 1 < report["book_run"]["perplexity"] < 28
    assert set(report["bench"]["models"]) == {"scratch-book", "scratch", "builtin"}
    assert report["bench"]["product_floor"]["tokens_per_s_median"] > 0
    assert "same_math" in capsys.readouterr().out
