"""What the views that look at the model share: they follow it as it trains, opens and resets.

Each such view (Inside the GRU, How far back) measures the model on a job thread when asked,
every few epochs while training (its "during training, every N epochs" fields), after a run
and after an open; a view out of sight waits until it is shown; Reset clears it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox, QWidget

from gru_studio.engine.training.events import EpochEnd, Finished
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.training.controller import Controller


class FollowsModel(QWidget):
    """A base for the views above: they give `refresh`, `clear`, `shows_something`, the two fields and
    the `message` label their `say` writes to."""

    message_shown = Signal(str)
    auto: QCheckBox
    every: QSpinBox
    message: QLabel
    _stale = False  # the model changed while the view was out of sight
    _said: LiveText = ""

    def say(self, message: LiveText) -> None:
        """One line in red above the view; '' hides it, so that it takes no room when all is well.

        `message`: an engine error or phrase, or a callable that calls tr(), is kept and shown
        again when the language changes (`_show_message`); a plain string as it is.
        """
        self._said = message
        text = self._show_message()
        if text:
            self.message_shown.emit(text)

    def _show_message(self) -> str:
        text = render(self._said)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setToolTip(text)
        return text

    def follow(self, controller: Controller) -> None:
        controller.events.on(EpochEnd, self.on_epoch).on(Finished, self.on_model_changed)
        controller.model_opened.connect(self.on_model_changed)
        controller.state_changed.connect(self.on_state)

    def refresh(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def shows_something(self) -> bool:
        raise NotImplementedError

    def wants_first_look(self) -> bool:
        """Whether being shown should measure a model not yet measured (the default: only when stale)."""
        return False

    @Slot(object)
    def on_epoch(self, event: EpochEnd) -> None:
        if self.auto.isChecked() and event.epoch % self.every.value() == 0:
            self.on_model_changed()

    @Slot()
    def on_model_changed(self, *_: object) -> None:
        """A new or changed model: measure it now if the view is in sight, else when it comes into sight."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    @Slot(object)
    def on_state(self, state: RunState) -> None:
        if state is RunState.IDLE and self.shows_something():  # Reset: the model measured is gone
            self.clear()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self.wants_first_look():
            self.refresh()
