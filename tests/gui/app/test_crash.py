import threading

from gru_studio.gui.app.crash import CrashReporter


def test_unexpected_errors_are_logged_and_shown(qtbot, tmp_path, critical_dialogs) -> None:
    shown = critical_dialogs
    reporter = CrashReporter(tmp_path / "logs")
    try:
        try:
            raise ValueError("a bug in the GUI thread")
        except ValueError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: len(shown) == 1)

        def fail() -> None:
            raise RuntimeError("a bug on another thread")

        worker = threading.Thread(target=fail)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 2)  # delivered to the GUI thread, then shown
    finally:
        reporter.uninstall()
    assert "ValueError: a bug in the GUI thread" in shown[0] and str(reporter.log_path) in shown[0]
    assert "RuntimeError: a bug on another thread" in shown[1]
    text = reporter.log_path.read_text()
    assert "Traceback" in text and "a bug in the GUI thread" in text and "a bug on another thread" in text
    assert (tmp_path / "logs" / "faults.log").exists()
