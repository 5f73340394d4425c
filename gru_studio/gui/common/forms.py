"""Editors built from the engine's settings schema: kinds, bounds, defaults and tooltips come from one place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from gru_studio.engine.config import Kind, Setting, spec_of
from gru_studio.gui.common.i18n import translate_engine

INT_MAX = 2**31 - 1  # a QSpinBox holds a C int
FLOAT_MAX = 1e9  # an unbounded float still needs a top for its spin box


def editor_for(config_type: type, name: str, labels: dict[str, str] | None = None) -> QWidget:
    """A combo box, spin box or line edit for one setting, set to its default.

    `labels`: a combo box's item texts by choice, already translated by the
    caller; the panel that owns the editor calls retranslate_editor() with them
    again when the language changes.
    """
    spec = spec_of(config_type, name)
    if spec.optional:
        # A spin box has no "not set"; such a setting needs an editor made for it.
        raise ValueError(f"{name} may be left unset (None), which these editors cannot show")
    editor: QWidget
    if spec.kind is Kind.CHOICE:
        editor = QComboBox()
        for choice in spec.choices or ():
            editor.addItem((labels or {}).get(choice, choice), choice)
    elif spec.kind is Kind.INT:
        editor = QSpinBox()
        editor.setRange(*int_range(spec))
        editor.setGroupSeparatorShown(True)
    elif spec.kind is Kind.FLOAT:
        editor = QDoubleSpinBox()
        editor.setDecimals(4)
        editor.setRange(*float_range(spec))
        editor.setSingleStep(0.1)
    else:
        editor = QLineEdit()
    set_value(editor, spec.default)
    editor.setToolTip(help_text(spec))
    editor.setObjectName(f"{_camel(name)}Input")
    return editor


def help_text(spec: Setting) -> str:
    """A setting's help in the window's language.

    The help is the engine's (the command line shows it too), so its
    translation is looked up in the engine's context of the catalogue; a help
    the engine has not marked for translation is shown in English.
    """
    return translate_engine(spec.help)


def retranslate_editor(editor: QWidget, config_type: type, name: str, labels: dict[str, str] | None = None) -> None:
    """Set an editor's texts again in the present language: its tooltip and a combo box's item labels."""
    editor.setToolTip(help_text(spec_of(config_type, name)))
    if isinstance(editor, QComboBox):
        for index in range(editor.count()):
            choice = editor.itemData(index)
            editor.setItemText(index, (labels or {}).get(choice, choice))


def int_range(spec: Setting) -> tuple[int, int]:
    """The spin box's range: the setting's bounds, cut to what a QSpinBox can hold."""
    low = 0 if spec.low is None else int(spec.low)
    high = INT_MAX if spec.high is None else int(min(spec.high, INT_MAX))
    return low, high


def float_range(spec: Setting) -> tuple[float, float]:
    """The spin box's range: the setting's bounds, an open one included.

    A learning rate of 0 can be typed, and the window then says why it cannot
    train, as it does for every other value the check refuses.
    """
    low = 0.0 if spec.low is None else float(spec.low)
    high = FLOAT_MAX if spec.high is None else float(spec.high)
    return low, high


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
