"""The shipped Chinese catalogue, for the tests that switch the window's language.

They load resources/i18n/gru_studio_zh_CN.qm, the file the app loads, so the
lookups are Qt's own under the contexts pyside6-lupdate filed each string in.
That every string of the code is in it, translated, and that the .qm is
compiled from the .ts, is tested once, in test_i18n.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "gru_studio_zh_CN.ts"
QM = TS.with_suffix(".qm")


def entries() -> dict[str, dict[str, str]]:
    """{context: {English source: Chinese}} of the shipped catalogue (a plural: its one Chinese form)."""
    found: dict[str, dict[str, str]] = {}
    for context in ET.parse(TS).getroot().iter("context"):
        messages = found.setdefault(context.findtext("name") or "", {})
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else [form.text or "" for form in translation.iter("numerusform")]
            text = forms[0] if forms else ("" if translation is None else translation.text or "")
            messages[message.findtext("source") or ""] = text
    return found


@contextmanager
def chinese_switch() -> Iterator[Callable[[bool], None]]:
    """A function that installs (True) or removes (False) the shipped Chinese; removed at the end in any case."""
    translator = QTranslator()
    assert translator.load(str(QM)), f"cannot load {QM}"
    app = QCoreApplication.instance()
    installed: list[QTranslator] = []

    def switch(on: bool) -> None:
        if on and not installed:
            app.installTranslator(translator)  # sends LanguageChange to every widget
            installed.append(translator)
        elif not on and installed:
            app.removeTranslator(translator)  # and so does this
            installed.clear()

    try:
        yield switch
    finally:
        switch(False)
