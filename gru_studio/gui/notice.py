"""A one-line notice above the plot with one action, for offers the user may take or ignore."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class Notice(QFrame):
    """Unlike a dialog it blocks nothing: the window is usable while it is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel(objectName="noticeText", wordWrap=True)
        self.action = QPushButton(objectName="noticeAction")
        self.close_button = QToolButton(objectName="noticeClose", text="✕")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._on_action: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, text: str, action: str, on_action: Callable[[], None]) -> None:
        self.text.setText(text)
        self.action.setText(action)
        self._on_action = on_action
        self.show()

    @Slot()
    def _act(self) -> None:
        self.hide()
        if self._on_action is not None:
            self._on_action()
