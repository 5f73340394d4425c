"""The status bar's message, kept as it was made, so that a change of language says it again."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar

from gru_studio.gui.common.live_text import LiveText, render


class StatusLine(QObject):
    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self._made: tuple[LiveText, int] = ("", 0)  # a callable that calls tr(), an engine error, or text
        self._shown = ""

    @Slot(object, int)
    def tell(self, message: LiveText, timeout_ms: int = 0) -> None:
        """Show `message` (0: until the next one); a callable or an engine error is said again after a switch."""
        self._made = (message, timeout_ms)
        self._shown = render(message) if message else ""
        if self._shown:
            self.bar.showMessage(self._shown, timeout_ms)
        else:
            self.bar.clearMessage()

    def retranslate(self) -> None:
        # Said again only while it is still shown: a message that timed out stays gone.
        if self._shown and self.bar.currentMessage() == self._shown:
            self.tell(*self._made)
