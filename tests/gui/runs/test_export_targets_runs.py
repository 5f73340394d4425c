"""Issue 28 in the Runs tab: Export CSV never writes over the run store, asks before a model file."""

from __future__ import annotations

import zipfile

from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.files import CHECKPOINT_FORMAT, is_checkpoint
from gru_studio.engine.history.store import default_path
from tests.gui.runs.conftest import open_store
from tests.gui.runs.test_runs_view import seed, show_runs, tick, warnings  # noqa: F401 (a fixture)


def test_export_onto_the_run_store_is_refused_and_the_store_kept(qtbot, window, warnings) -> None:  # noqa: F811
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    window.runs.export_csv(str(default_path()))
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert warnings[0].startswith("Nothing was written") and "it is the run store" in warnings[0]
    with open_store() as store:
        assert store.get(run_id) is not None


def test_export_onto_a_model_file_asks_first(qtbot, window, warnings, tmp_path, monkeypatch) -> None:  # noqa: F811
    model = tmp_path / "model.pt"
    with zipfile.ZipFile(model, "w") as archive:
        archive.writestr("model/data.pkl", CHECKPOINT_FORMAT.encode())
    asked: list[str] = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if len(asked) > 1 else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    window.runs.export_csv(str(model))
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    qtbot.wait(200)
    assert is_checkpoint(model) and "holds a GRU Studio model" in asked[0]
    with qtbot.waitSignal(window.runs.said, timeout=10_000):
        window.runs.export_csv(str(model))  # asked again, and the answer is Yes this time
    assert model.read_text().startswith("run,") and warnings == []
