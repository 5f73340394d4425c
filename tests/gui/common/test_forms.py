"""The form, the flags and the check read one schema: they agree on every setting's kind, bounds and choices."""

import argparse
from dataclasses import dataclass, replace

import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from gru_studio.cli.flags import add_config_flags
from gru_studio.engine.config import (
    CorpusConfig,
    Kind,
    ModelConfig,
    Setting,
    TrainConfig,
    setting,
    settings_of,
    validate,
)
from gru_studio.engine.errors import ConfigError
from gru_studio.gui.common.forms import INT_MAX, editor_for, value_of

EDITORS = {Kind.INT: QSpinBox, Kind.FLOAT: QDoubleSpinBox, Kind.CHOICE: QComboBox, Kind.TEXT: QLineEdit}
EVERY_SETTING = [
    pytest.param(config_type, spec, id=f"{config_type.__name__}.{spec.name}")
    for config_type in (CorpusConfig, ModelConfig, TrainConfig)
    for spec in settings_of(config_type)
    if not spec.optional  # max_tokens: no form shows it, and a spin box cannot hold None
]


def flag_for(config_type: type, spec: Setting) -> argparse.Action:
    parser = argparse.ArgumentParser()
    add_config_flags(parser, config_type, "settings")
    return next(a for a in parser._actions if a.dest == f"{config_type.__name__}.{spec.name}")


def is_flag_of_kind(flag: argparse.Action, spec: Setting) -> bool:
    """A whole-number setting's flag reads whole numbers (cli/flags.int_in, which also holds its range);
    a float's is float; anything else is read as text."""
    if spec.kind is Kind.INT:
        parsed = flag.type(str(spec.default))
        return flag.type.__name__ == "int" and type(parsed) is int and parsed == spec.default
    return flag.type is (float if spec.kind is Kind.FLOAT else str)


def is_valid(config_type: type, name: str, value: object) -> bool:
    try:
        validate(replace(config_type(), **{name: value}))
    except ConfigError:
        return False
    return True


@pytest.mark.parametrize(("config_type", "spec"), EVERY_SETTING)
def test_each_kind_gets_its_editor_and_its_flag_type(qtbot, config_type: type, spec: Setting) -> None:
    editor = editor_for(config_type, spec.name)
    qtbot.addWidget(editor)
    assert type(editor) is EDITORS[spec.kind]
    assert value_of(editor) == spec.default
    assert editor.toolTip() == spec.help
    flag = flag_for(config_type, spec)
    assert is_flag_of_kind(flag, spec)
    assert flag.default == spec.default
    assert flag.choices == spec.choices
    if spec.kind is Kind.CHOICE:
        assert [editor.itemData(i) for i in range(editor.count())] == list(spec.choices)
        assert all(is_valid(config_type, spec.name, choice) for choice in spec.choices)
        assert not is_valid(config_type, spec.name, "none of these")


@pytest.mark.parametrize(
    ("config_type", "spec"), [p for p in EVERY_SETTING if p.values[1].kind in (Kind.INT, Kind.FLOAT)]
)
def test_a_spin_box_spans_what_the_check_accepts(qtbot, config_type: type, spec: Setting) -> None:
    editor = editor_for(config_type, spec.name)
    qtbot.addWidget(editor)
    high = spec.high if spec.kind is Kind.FLOAT else min(spec.high, INT_MAX)
    assert (editor.minimum(), editor.maximum()) == (spec.low, high)
    flag = flag_for(config_type, spec)
    # The top of the box, typed as a flag, is a value the check accepts.
    assert is_valid(config_type, spec.name, flag.type(str(editor.maximum())))
    # The bottom too, except where the bound is open: a learning rate of 0 can be
    # typed, and the window then says why it cannot train.
    assert is_valid(config_type, spec.name, editor.minimum()) is not spec.low_open
    beyond = spec.high * 2 + 1
    assert not is_valid(config_type, spec.name, beyond)
    editor.setValue(min(beyond, INT_MAX) if spec.kind is Kind.INT else beyond)  # a C int at most
    assert editor.value() == high  # the box cannot go past what the check allows
    if spec.kind is Kind.INT:
        with pytest.raises((ValueError, argparse.ArgumentTypeError)):
            flag.type("1.5")
        assert not is_valid(config_type, spec.name, spec.low + 0.5)


# Without `from __future__ import annotations` these annotations are the types
# themselves, whose text ("<class 'int'>") the old guesses did not recognise.
@dataclass(frozen=True)
class Knobs:
    count: int = setting(3, "how many", low=1, high=10)
    ratio: float = setting(0.5, "how much", low=0.0, high=1.0)


def test_flags_and_editors_follow_the_types_not_their_text(qtbot) -> None:
    count, ratio = settings_of(Knobs)
    assert is_flag_of_kind(flag_for(Knobs, count), count) and flag_for(Knobs, ratio).type is float
    with pytest.raises(argparse.ArgumentTypeError):  # the flag holds the setting's range (cli/flags.int_in)
        flag_for(Knobs, count).type("11")
    editors = [editor_for(Knobs, "count"), editor_for(Knobs, "ratio")]
    for editor in editors:
        qtbot.addWidget(editor)
    assert [type(e) for e in editors] == [QSpinBox, QDoubleSpinBox]
    assert (editors[0].minimum(), editors[0].maximum()) == (1, 10)


def test_a_setting_that_may_be_unset_gets_no_guessed_editor() -> None:
    with pytest.raises(ValueError, match="max_tokens may be left unset"):
        editor_for(CorpusConfig, "max_tokens")
