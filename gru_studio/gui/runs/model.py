"""The runs table's model: one row per recorded run, a tick column, sorting of its own.

Scrolling 1,000 runs must stay smooth, so `data` only looks up: every cell's
text and sort value is made once, when the rows arrive (about 30 ms for 1,000
runs), and sorting reorders the rows in Python (a few milliseconds) instead of
asking `data` through a proxy for every comparison.

Rows that tie on the column sorted by stay newest first, whichever way it goes,
and whatever their status: a stopped or diverged run is a run like any other
(issue 30). A pinned run shows a pin on its number: its kept model is never pruned.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from gru_studio.engine.history.columns import COLUMNS, sort_key
from gru_studio.engine.history.summary import RunSummary
from gru_studio.gui.common import theme
from gru_studio.gui.runs.pin import pin_icon
from gru_studio.gui.setup.settings_panel import short_label

TICK = 0  # the tick column; the engine's columns follow it
RIGHT = {"hidden", "layers", "lr", "num_steps", "batch_size", "clip", "seed", "epochs"}
RIGHT |= {"best", "final", "tokens_per_s", "duration"}
Index = QModelIndex | QPersistentModelIndex


@dataclass
class Row:
    run: RunSummary
    texts: list[str]
    values: list[Any]
    tip: str  # for the whole row: the error, the saved model
    tips: dict[str, str]  # for one cell, by column key
    ticked: bool = False
    colour: QColor | None = field(default=None)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return QCoreApplication.translate("RunsTableModel", "{0} s").format(seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return QCoreApplication.translate("RunsTableModel", "{0} min {1} s").format(minutes, f"{seconds:02d}")
    hours, minutes = divmod(minutes, 60)
    return QCoreApplication.translate("RunsTableModel", "{0} h {1} min").format(hours, f"{minutes:02d}")


def number(value: Any, spec: str = "g") -> str:
    return "" if value is None else format(value, spec) if isinstance(value, (int, float)) else str(value)


def comparable(value: Any) -> Any:
    """A value as the sort sees it: NaN is no number to compare (it would leave rows wherever they were)."""
    return None if isinstance(value, float) and math.isnan(value) else value


class RunsTableModel(QAbstractTableModel):
    """Rows of RunSummary; ticking a row emits `tick_changed(run id, ticked)`."""

    tick_changed = Signal(int, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._by_id: dict[int, int] = {}  # run id -> row
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.retranslate_texts()

    def retranslate_texts(self) -> None:
        """Headers, tooltips and words in the present language. self.tr() is called by name, never
        through an alias: pyside6-lupdate files an aliased tr() under no context, where Qt never looks."""
        # (header, tooltip) per column key: short headers keep the table narrow, the tooltip says it whole.
        self.headers: dict[str, tuple[str, str]] = {
            "run": (self.tr("Run"), self.tr("The run's number in the run store, and its name")),
            "model": (self.tr("Model"), self.tr("The model trained")),
            "gates": (self.tr("Gates"), self.tr("The scratch GRU's gates: full, or one of them fixed")),
            "corpus": (self.tr("Text"), self.tr("The text it trained on")),
            "hidden": (self.tr("Hidden"), self.tr("Hidden units")),
            "layers": (self.tr("Layers"), self.tr("Layers (nn.GRU)")),
            "lr": (self.tr("LR"), self.tr("Learning rate")),
            "num_steps": (self.tr("Steps"), self.tr("Time steps per sequence")),
            "batch_size": (self.tr("Batch"), self.tr("Batch size")),
            "clip": (self.tr("Clip θ"), self.tr("Gradient norm clipped to θ (0: no clipping)")),
            "partition": (self.tr("Batching"), self.tr("Sequential (state carried) or random batches")),
            "optimizer": (self.tr("Optimizer"), self.tr("The optimizer")),
            "seed": (self.tr("Seed"), self.tr("Random seed")),
            "device": (self.tr("Device"), self.tr("Where it trained")),
            "epochs": (self.tr("Epochs"), self.tr("Epochs trained, of those asked for")),
            "best": (
                self.tr("Best ppl"),
                self.tr(
                    "The lowest validation perplexity and its epoch (training perplexity when no text was held out)"
                ),
            ),
            "final": (self.tr("Final ppl"), self.tr("Training perplexity at the last epoch")),
            # Not the status bar's figure after a run: that one is all the run's tokens over all its training
            # time, which a slow epoch (the first, say, while threads are measured) pulls down further.
            "tokens_per_s": (
                self.tr("Mean tokens/s"),
                self.tr(
                    "The mean of the epochs' training speeds (each epoch's tokens over its training time; "
                    'evaluation excluded). The status bar\'s "overall" figure after a run is all its tokens over '
                    "all its training time: lower when some epochs were slower than others."
                ),
            ),
            "duration": (self.tr("Duration"), self.tr("Wall time from start to end")),
            "status": (self.tr("Status"), self.tr("running, finished, stopped, diverged or crashed")),
            "date": (self.tr("Date"), self.tr("When it started")),
        }
        self.pinned_tip = self.tr("Pinned: its kept model is never pruned to keep the models folder in its budget")
        self.statuses = {
            "running": self.tr("running"),
            "finished": self.tr("finished"),
            "stopped": self.tr("stopped"),
            "diverged": self.tr("diverged"),
            "crashed": self.tr("crashed"),
        }

    # -- the rows -----------------------------------------------------------------------

    def set_runs(self, runs: Sequence[RunSummary]) -> None:
        """Show these runs (the store's order, or the table's sort); ticks and colours stay with their runs."""
        kept = {row.run.id: row for row in self._rows}
        rows = []
        for run in runs:
            row = self._make_row(run)
            old = kept.get(run.id)
            if old is not None:
                row.ticked, row.colour = old.ticked, old.colour
            rows.append(row)
        self.beginResetModel()
        self._rows = rows
        self._reindex()
        self.endResetModel()
        if self._sort is not None:
            self.sort(*self._sort)

    def update_run(self, run: RunSummary) -> None:
        """One run's figures changed (it is training): its row alone is redrawn."""
        row = self._by_id.get(run.id)
        if row is None:
            return
        old = self._rows[row]
        new = self._make_row(run)
        new.ticked, new.colour = old.ticked, old.colour
        self._rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def retranslate(self) -> None:
        """Say every header and cell again in the present language; rows, ticks, colours, the sort
        and the selection stay (the values the rows sort by are not words)."""
        self.retranslate_texts()
        for number, old in enumerate(self._rows):
            new = self._make_row(old.run)
            new.ticked, new.colour = old.ticked, old.colour
            self._rows[number] = new
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def runs(self) -> list[RunSummary]:
        return [row.run for row in self._rows]

    def run_at(self, row: int) -> RunSummary:
        return self._rows[row].run

    def row_of(self, run_id: int) -> int | None:
        return self._by_id.get(run_id)

    def ticked(self) -> list[RunSummary]:
        return [row.run for row in self._rows if row.ticked]

    def set_ticked(self, run_id: int, ticked: bool, colour: QColor | None = None) -> None:
        """Tick or untick a run's row (and show its curve's colour) without emitting tick_changed."""
        row = self._by_id.get(run_id)
        if row is not None:
            self._rows[row].ticked, self._rows[row].colour = ticked, colour if ticked else None
            self.dataChanged.emit(self.index(row, TICK), self.index(row, TICK))

    def column_of(self, key: str) -> int:
        return 1 + [column.key for column in COLUMNS].index(key)

    def all_texts(self) -> list[list[str]]:
        """Every row's cell texts, to fit the columns to."""
        return [row.texts for row in self._rows]

    def any_pinned(self) -> bool:
        return any(row.run.pinned for row in self._rows)

    def _reindex(self) -> None:
        self._by_id = {row.run.id: number for number, row in enumerate(self._rows)}

    def _gate_words(self) -> dict[str, str]:
        """The table's words for the gates, in the language of the moment; "full" is every model's."""
        return {
            "full": self.tr("full"),
            "reset-only": self.tr("reset gate only"),
            "update-only": self.tr("update gate only"),
        }

    def _make_row(self, run: RunSummary) -> Row:
        values = [column.value(run) for column in COLUMNS]
        cells = dict(zip([column.key for column in COLUMNS], values, strict=True))
        texts = {key: number(value) for key, value in cells.items()}
        texts["run"] = f"#{run.id} {run.name}".rstrip()
        texts["model"] = short_label(str(cells["model"] or ""))
        texts["gates"] = self._gate_words().get(str(cells["gates"]), texts["gates"])
        texts["partition"] = {"sequential": self.tr("sequential"), "random": self.tr("random")}.get(
            str(cells["partition"]), texts["partition"]
        )
        texts["corpus"] = run.corpus_name or ""
        done, target = run.last_epoch, run.target_epochs
        texts["epochs"] = number(target) if done == target else f"{number(done) or 0} / {number(target) or '?'}"
        if run.best_perplexity is not None:
            texts["best"] = self.tr("{0} @{1}").format(f"{run.best_perplexity:.3f}", run.best_epoch)
        texts["final"] = "" if run.perplexity is None else f"{run.perplexity:.3f}"
        texts["tokens_per_s"] = "" if run.tokens_per_s is None else f"{run.tokens_per_s:,.0f}"
        texts["duration"] = duration_text(run.duration_s)
        texts["status"] = self.statuses.get(run.status, run.status)
        texts["date"] = "" if run.started is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started))
        tip = run.error or ""
        if run.checkpoint:
            tip = (tip + "\n" if tip else "") + self.tr("Model saved to {0}").format(run.checkpoint)
        best_tip = (
            self.tr("The lowest validation perplexity, first reached at epoch {0}")
            if run.best_is_validation
            else self.tr("No text was held out: the lowest training perplexity, first reached at epoch {0}")
        ).format(run.best_epoch)
        tips = {"best": best_tip} if run.best_perplexity is not None else {}
        if run.pinned:
            tips["run"] = "\n".join(filter(None, [self.pinned_tip, tip]))
        return Row(run, ["", *(texts[column.key] for column in COLUMNS)], values, tip, tips)

    # -- Qt's side -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if column == TICK:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.ticked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DecorationRole:
                return row.colour
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Tick to draw this run's curves on the plot")
            return None
        key = COLUMNS[column - 1].key
        if role == Qt.ItemDataRole.DecorationRole:
            return pin_icon() if key == "run" and row.run.pinned else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if key in RIGHT else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tips.get(key) or row.tip or None
        if role == Qt.ItemDataRole.ForegroundRole and row.run.status in ("crashed", "diverged"):
            return QColor(theme.colours().error) if key == "status" else None  # readable on either theme
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != TICK or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._rows[index.row()]
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        if ticked == row.ticked:
            return True
        row.ticked = ticked
        if not ticked:
            row.colour = None
        self.dataChanged.emit(index, index)
        self.tick_changed.emit(row.run.id, ticked)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == TICK:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == TICK:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        header, tip = self.headers[COLUMNS[section - 1].key]
        if role == Qt.ItemDataRole.DisplayRole:
            return header
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's values (the tick column: ticked first); runs without a value go last either way."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[index.row()].run.id for index in before]
        # Newest first to begin with: a stable sort keeps that order among the rows that tie, either way.
        rows = sorted(self._rows, key=lambda row: row.run.id, reverse=True)
        keyed: list[tuple[Any, Row]]
        missing: list[Row] = []
        if column < 0:
            # No column (Qt asks for -1 when sorting is turned on): the store's order, newest first. Read
            # as a column, -1 was the status (values[-2]), which put every stopped run under the finished.
            keyed = [((0, 0), row) for row in rows]
            order = Qt.SortOrder.AscendingOrder
        elif column == TICK:
            keyed = [((0, 0 if row.ticked else 1), row) for row in rows]
        else:
            values = [(comparable(row.values[column - 1]), row) for row in rows]
            keyed = [(sort_key(value), row) for value, row in values if value is not None]
            missing = [row for value, row in values if value is None]
        keyed.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [row for _, row in keyed] + missing
        self._reindex()
        after = [self.index(self._by_id[run_id], index.column()) for run_id, index in zip(ids, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
