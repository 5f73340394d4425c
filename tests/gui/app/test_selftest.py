import json
import tempfile
from pathlib import Path

from gru_studio.gui.app.selftest import run_self_test


def test_self_test_trains_saves_reloads_generates_and_reports(qapp, tmp_path, capsys) -> None:
    report_path = tmp_path / "report.json"
    assert run_self_test(str(report_path)) == 0
    report = json.loads(report_path.read_text())
    assert report["ok"] is True and report["icon_found"] is True
    assert report["sample"].startswith("the clock") and len(report["sample"]) == len("the clock") + 40
    assert {"window_ready", "train", "save_and_load", "generate", "total"} <= set(report["timings_s"])
    assert any(d["name"] == "cpu" and d["available"] for d in report["devices"])
    assert json.loads(capsys.readouterr().out)["ok"] is True  # the same report on stdout


def test_self_test_leaves_the_users_run_history_and_files_alone(qapp, tmp_path, monkeypatch, capsys) -> None:
    from gru_studio.engine.files import user_data_dir
    from gru_studio.engine.history.store import default_path
    from gru_studio.gui.app import selftest

    made: list[Path] = []
    mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: made.append(Path(mkdtemp(**kw))) or str(made[-1]))
    assert default_path().parent == user_data_dir()  # the store a user's runs are in (this test's own folder)
    report_path = tmp_path / "report.json"
    assert selftest.run_self_test(str(report_path)) == 0
    capsys.readouterr()
    report = json.loads(report_path.read_text())
    assert report["recorded"] == 1  # the run was recorded, so recording works here...
    assert not default_path().exists()  # ...but not in the user's run history
    assert not (user_data_dir() / "autosave.pt").exists()
    assert made and not any(folder.exists() for folder in made)  # its own folder is gone too
