"""Dates in the window are written the locale's way, never as the C locale's "7 12 2026" (issue 29, item 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from gru_studio.gui.common.i18n import date_time_text

WHEN = QDateTime(QDate(2026, 12, 7), QTime(17, 23))


@pytest.fixture
def locale():
    before = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(before)


def test_a_date_follows_the_locale_and_the_c_locale_gets_iso(locale) -> None:
    locale("C")
    assert date_time_text(WHEN) == "2026-12-07 17:23"
    for name in ("en_GB", "en_US", "zh_CN"):
        locale(name)
        assert date_time_text(WHEN) == QLocale(name).toString(WHEN, QLocale.FormatType.ShortFormat)
    locale("en_GB")
    assert date_time_text(WHEN).startswith("07/12/2026")
