import json

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
