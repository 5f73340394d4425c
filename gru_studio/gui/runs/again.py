"""Training a recorded run again: its request made by the engine (history/repeat.py), shown in the
panels and handed to the window's one way into a run.

The text may need loading first (another file, or other characters), which
happens on the corpus panel's thread; the run starts once it has loaded. A
setting that this version no longer accepts keeps the panel's value and is
named in the status bar. The entry point checks everything as always: a run
that cannot start says why beside the buttons, as a typed setting would.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from gru_studio.engine.history.repeat import repeat
from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.training.run_request import RunRequest
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.training.controller import Controller


class TrainAgain(QObject):
    def __init__(
        self,
        controller: Controller,
        setup: RunSetup,
        start_run: Callable[[RunRequest], bool],
        tell: Callable[[LiveText, int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.setup, self.start_run, self.tell = controller, setup, start_run, tell

    @Slot(object)
    def start(self, run: RunSummary) -> None:
        if not self.controller.state.can_train:
            run_id = run.id  # a callable, so that the status bar says it again after a change of language
            self.tell(lambda: self.tr("Stop the training first, then train run #{0} again.").format(run_id), 8000)
            return
        again = repeat(run, self.setup.request())
        self.setup.show(again.request, device=again.device)
        if again.refused:
            names = ", ".join(again.refused)
            self.tell(lambda: self.tr("Not used, out of range now: {0}").format(names), 8000)
        # On the device the panel now shows: the run's where this machine has it, else the one picked.
        request = again.request.with_values({"device": self.setup.device_name()})
        self.setup.with_text(request, self.start_run)
