"""The book's presets are the config defaults, so the two cannot drift apart."""

from dataclasses import asdict, dataclass

import pytest

from gru_studio.engine import model_registry
from gru_studio.engine.config import ModelConfig, TrainConfig, setting, spec_of
from gru_studio.gui.common.forms import help_text
from gru_studio.gui.setup import settings_panel
from gru_studio.gui.setup.settings_panel import BOOK_RECIPE, PRESETS, SettingsPanel, book_preset
from tests.throwaway_model import THROWAWAY

DEFAULTS = {**asdict(ModelConfig()), **asdict(TrainConfig())}


@pytest.mark.parametrize(("name", "kind"), [("Book: GRU from scratch", "scratch"), ("Book: nn.GRU", "builtin")])
def test_each_book_preset_is_the_defaults(qtbot, name: str, kind: str) -> None:
    preset = PRESETS[name]
    assert preset["kind"] == kind
    assert set(BOOK_RECIPE) <= set(preset)
    assert {key: value for key, value in preset.items() if key != "kind"} == {
        key: DEFAULTS[key] for key in preset if key != "kind"
    }

    panel = SettingsPanel()
    qtbot.addWidget(panel)
    panel.set_values({"hidden": 64, "epochs": 3, "lr": 0.5})
    panel.preset.setCurrentText(name)
    assert panel.model_config() == ModelConfig(kind=kind)
    assert panel.train_config() == TrainConfig(device=panel.values()["device"])


def test_the_preset_follows_a_changed_default(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass(frozen=True)
    class ShortTraining(TrainConfig):
        epochs: int = setting(20, "passes over the training tokens", low=1, high=1_000_000)

    monkeypatch.setattr(settings_panel, "TrainConfig", ShortTraining)
    assert book_preset("scratch")["epochs"] == 20


def test_a_registered_model_is_in_the_picker_with_its_words_and_settings(qtbot, throwaway) -> None:
    panel = SettingsPanel()
    qtbot.addWidget(panel)
    kinds = [panel.model.itemData(i) for i in range(panel.model.count())]
    assert kinds[-1] == THROWAWAY and kinds[:-1] == [s.name for s in model_registry.specs()][:-1]
    assert panel.model.itemText(len(kinds) - 1) == "bigram table (a test's model)"
    panel.set_values({"kind": THROWAWAY, "layers": 2})
    assert panel.model_note.text() == "The next character from this one alone."
    assert not any(panel.editors[name].isEnabled() for name in ("layers", "dropout", "gates"))
    assert panel.model_config().kind == THROWAWAY
    panel.set_values({"kind": "builtin"})
    assert panel.editors["layers"].isEnabled() and not panel.editors["gates"].isEnabled()


def test_every_setting_has_a_tooltip_that_says_more_than_its_label(qtbot) -> None:
    """Issue 29: "learning rate" is not a tooltip; the Gates tooltip is in words, not the command line's notation."""
    panel = SettingsPanel()
    qtbot.addWidget(panel)
    for config, name, _ in settings_panel.MODEL_FIELDS + settings_panel.TRAIN_FIELDS:
        label = panel.labels[name].text()
        tip = panel.editors[name].toolTip()
        assert tip != help_text(spec_of(config, name)), name  # the window's words, not the command line's help
        assert len(tip.split()) >= len(label.split()) + 8, (name, tip)  # a sentence, not the label again
        assert panel.labels[name].toolTip() == tip  # resting on the label says the same
    for widget in (panel.preset, panel.model, panel.device, panel.autosave):
        assert len(widget.toolTip().split()) >= 6
    gates = panel.editors["gates"].toolTip()
    assert "update gate" in gates and "reset gate" in gates
    assert not any(notation in gates for notation in ("Z = 0", "R = 1", "H~", "reset-only", "update-only"))
