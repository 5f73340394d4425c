"""torchrun ranks started with different settings or texts are refused before the first batch, on every
rank, in one line naming what differs (not DDP's "params[0] ... appears not to match", not a silent run).

torchrun starts one command for every rank; to give the ranks different flags,
it starts a small script that picks, from each argument written "A|B", A on
rank 0 and B on rank 1, then runs gru-studio's main().
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import torch

from tests.cli.test_torchrun import REPO, environment, torchrun

pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason="needs torch with gloo")

PER_RANK = """
import os, sys
from gru_studio.cli import main
rank = int(os.environ["RANK"])
sys.exit(main([arg.split("|")[rank] if "|" in arg else arg for arg in sys.argv[1:]]))
"""
TINY = ["--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000", "--sample-every", "0"]


def train_per_rank(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    script = tmp_path / "per_rank.py"
    script.write_text(PER_RANK)
    command = [*torchrun(2), str(script), "train", *TINY, "--epochs", "2", "--no-record", "--device", "cpu", *flags]
    env = {**environment(tmp_path), "PYTHONPATH": str(REPO)}
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO, env=env)


def texts(tmp_path: Path) -> tuple[str, str]:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("the time traveller was one who had travelled in time " * 80)
    two.write_text("the time traveller was one who had travelled in tide " * 80)  # same characters, other text
    return str(one), str(two)


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (["--corpus", "sample", "--hidden", "16|24"], "rank 1's --hidden (24) differs from rank 0's (16)"),
        (["--corpus", "sample", "--seed", "0|7"], "rank 1's --seed (7) differs from rank 0's (0)"),
        (["--corpus", "{one}|{two}"], "rank 1 reads a different text than rank 0"),
    ],
    ids=["hidden", "seed", "text"],
)
def test_ranks_that_differ_are_refused_in_one_line(tmp_path: Path, flags: list[str], line: str) -> None:
    one, two = texts(tmp_path)
    done = train_per_rank(tmp_path, *[flag.format(one=one, two=two) for flag in flags])
    assert done.returncode != 0
    # Every rank says it (their lines may run into each other: two processes, one stderr).
    said = re.findall(r"gru-studio: error: (.*?)(?=gru-studio: error:|\n|$)", done.stderr)
    assert said and set(said) == {f"torchrun: {line}"}, done.stderr[-3000:]
    assert "appears not to match" not in done.stderr
    # torchrun reports a failed process with a traceback of its own; none may come from GRU Studio.
    frames = [text for text in done.stderr.splitlines() if text.strip().startswith('File "')]
    assert not [text for text in frames if "gru_studio" in text]
    assert done.stdout == ""  # nothing trained, nothing reported


def test_ranks_that_agree_train(tmp_path: Path) -> None:
    """The same check passes when the ranks agree, whatever their --threads and the text's path (each
    machine's own: a text at another place on each node is the same text)."""
    one, _ = texts(tmp_path)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(Path(one).read_bytes())
    done = train_per_rank(tmp_path, "--corpus", f"{one}|{copy}", "--threads", "1|2", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert '"processes": 2' in done.stdout
