"""The runs' epochs as a CSV file: one line per epoch, floats that read back to the same numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.training.events import EpochRecord

CSV_COLUMNS = ("run", "name", "epoch", "perplexity", "val_perplexity", "tokens_per_s", "grad_norm", "elapsed_s")

# A cell a spreadsheet would read as a formula (OWASP, "CSV injection"): such text is written
# after a single quote, which shows it as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(runs: Sequence[tuple[RunSummary, list[EpochRecord]]]) -> str:
    """The CSV of the runs' epochs, the header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for summary, history in runs:
        for record in history:
            values = (record.perplexity, record.val_perplexity, record.tokens_per_s, record.grad_norm)
            writer.writerow(
                (summary.id, text_cell(summary.name), record.epoch, *[cell(v) for v in values], cell(record.elapsed_s))
            )
    return buffer.getvalue()


def text_cell(text: str) -> str:
    """A name as a CSV cell: as it is, unless a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell(value: float | None) -> str:
    """A number as repr writes it (it reads back the same); empty where it is unknown."""
    return "" if value is None else repr(float(value))
