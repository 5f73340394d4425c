"""A one-line notice above the plot with one action, for offers the user may take or ignore."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from gru_studio.gui.common.live_text import LiveText, render


class Notice(QFrame):
    """Unlike a dialog it blocks nothing: the window is usable while it is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel(objectName="noticeText", wordWrap=True)
        self.action = QPushButton(objectName="noticeAction")
        self.close_button = QToolButton(objectName="noticeClose", text="✕")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._on_action: Callable[[], None] | None = None
        # What the offer was made from, so that a change of language shows it in the new one.
        self._text: LiveText = ""
        self._action_text: LiveText = ""
        self.action.clicked.connect(self._act)
        self.close_button.clicked.connect(self.hide)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.text.setText(render(self._text))
        self.action.setText(render(self._action_text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def offer(self, text: LiveText, action: LiveText, on_action: Callable[[], None]) -> None:
        """`text` and `action`: a callable that calls tr() (or an engine phrase) stays live across a switch."""
        self._text, self._action_text = text, action
        self._on_action = on_action
        self.retranslate()
        self.show()

    @Slot()
    def _act(self) -> None:
        self.hide()
        if self._on_action is not None:
            self._on_action()
