"""Editors built from the engine's config fields: bounds, defaults and tooltips come from one place."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from gru_studio.engine.config import help_of

INT_MAX = 2**31 - 1


def field_of(config_type: type, name: str) -> dataclasses.Field:
    return next(f for f in dataclasses.fields(config_type) if f.name == name)


def editor_for(config_type: type, name: str, labels: dict[str, str] | None = None) -> QWidget:
    """A combo box, spin box or line edit for one setting, set to its default."""
    f = field_of(config_type, name)
    meta = f.metadata
    editor: QWidget
    if meta["choices"]:
        editor = QComboBox()
        for choice in meta["choices"]:
            editor.addItem((labels or {}).get(choice, choice), choice)
    elif str(f.type).startswith("int"):
        editor = QSpinBox()
        editor.setRange(int(meta["low"] or 0), int(min(meta["high"] or INT_MAX, INT_MAX)))
        editor.setGroupSeparatorShown(True)
    elif str(f.type).startswith("float"):
        editor = QDoubleSpinBox()
        editor.setDecimals(4)
        editor.setRange(meta["low"] or 0.0, meta["high"] or 1e9)
        editor.setSingleStep(0.1)
    else:
        editor = QLineEdit()
    set_value(editor, f.default)
    editor.setToolTip(help_of(config_type, name))
    editor.setObjectName(f"{_camel(name)}Input")
    return editor


def allow_narrow(combo: QComboBox, characters: int = 12) -> None:
    """Let a combo box shrink below its longest item, so that the settings column fits a small screen.

    Without this a combo box is as wide as its longest label ("GRU from scratch
    (the book's step-by-step code)"), and at 1024 pixels the settings column
    needed a horizontal scroll bar. The open list still shows every label whole.
    """
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    model = combo.model()
    model.rowsInserted.connect(lambda *_: _fit_popup(combo))
    model.modelReset.connect(lambda: _fit_popup(combo))
    _fit_popup(combo)


def _fit_popup(combo: QComboBox) -> None:
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)  # room for a scroll bar


def value_of(editor: QWidget) -> object:
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return editor.value()
    return editor.text()


def set_value(editor: QWidget, value: object) -> None:
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        if index >= 0:
            editor.setCurrentIndex(index)
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QDoubleSpinBox):
        editor.setValue(float(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))


def connect_changed(editor: QWidget, slot: object) -> None:
    if isinstance(editor, QComboBox):
        editor.currentIndexChanged.connect(slot)
    elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        editor.valueChanged.connect(slot)
    else:
        editor.textChanged.connect(slot)


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)
