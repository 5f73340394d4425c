"""The runs table's view: one fixed row height, columns fitted to their texts, hidden by key, rows selected by run.

Scrolling 1,000 runs stays smooth because nothing is measured while it
scrolls: every row has the same height, and a column is fitted to its header
and its widest texts, a few candidates measured each, when the rows arrive or
the language changes (a column sized once for English cut the Chinese model
names to "从零实现的 …", the GRU and the RNN alike; a column sized before any
run had a name cut a renamed run to "#17 …"). A column the user widened or
narrowed by hand keeps that width. What still does not fit is elided in the
middle, so that the end of a name, where the GRU and the RNN differ, shows, and
its tooltip says it whole.

The run and date columns sort newest first on their first click (Qt's first
click would give the oldest first).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QToolTip, QWidget

from gru_studio.engine.history.columns import COLUMNS
from gru_studio.engine.history.summary import RunSummary
from gru_studio.gui.runs.model import TICK, RunsTableModel

TICK_WIDTH = 44  # the box and the curve's colour
MAX_WIDTH = 320  # a longer name is elided in the middle (its tooltip and the rename box show it whole)
PADDING = 16  # a cell's margins; the pin of a pinned run needs its own room
PIN_ROOM = 22
CANDIDATES = 8  # texts measured per column: the widest by a cheap estimate
NEWEST_FIRST = {"run", "date"}


def rough_width(text: str) -> int:
    """About how wide a text is, in half-widths: a Chinese character is two (to pick what to measure)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class RunsTable(QTableView):
    def __init__(self, model: RunsTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsTable")
        self.runs_model = model
        self.setModel(model)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the store's order
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._sorted_by = -1
        header.sortIndicatorChanged.connect(self._newest_first)
        self._fitting = False  # the widths being set are ours, not the user's
        self._by_hand: set[int] = set()  # columns the user resized: left as they are
        header.sectionResized.connect(self._resized)

    # -- widths -------------------------------------------------------------------------

    def size_columns(self) -> None:
        """Fit each column to its header and its widest texts, up to MAX_WIDTH; a column resized by hand stays."""
        metrics, header_metrics = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        candidates = self._candidates()
        self._fitting = True
        try:
            for column in range(self.runs_model.columnCount()):
                if column in self._by_hand:
                    continue
                if column == TICK:
                    self.setColumnWidth(column, TICK_WIDTH)
                    continue
                title = str(self.runs_model.headerData(column, Qt.Orientation.Horizontal))
                widest = max((metrics.horizontalAdvance(text) for text in candidates[column]), default=0)
                if COLUMNS[column - 1].key == "run" and self.runs_model.any_pinned():
                    widest += PIN_ROOM
                # The header needs room for its sort arrow too.
                width = max(widest + PADDING, header_metrics.horizontalAdvance(title) + 28)
                self.setColumnWidth(column, min(width, MAX_WIDTH))
        finally:
            self._fitting = False

    def _candidates(self) -> list[list[str]]:
        """Each column's few widest texts by rough_width, to measure them and no others."""
        found: list[dict[str, int]] = [{} for _ in range(self.runs_model.columnCount())]
        for texts in self.runs_model.all_texts():
            for column, text in enumerate(texts):
                if text not in found[column]:
                    found[column][text] = rough_width(text)
        return [sorted(widths, key=widths.__getitem__, reverse=True)[:CANDIDATES] for widths in found]

    def _resized(self, column: int, old: int, new: int) -> None:
        if not self._fitting and old != new and new > 0 and old > 0:
            self._by_hand.add(column)

    def is_cut(self, index: QModelIndex) -> bool:
        """Whether a cell's text is wider than its column (the table elides it then)."""
        text = str(self.runs_model.data(index) or "")
        room = self.columnWidth(index.column()) - PADDING
        if index.column() != TICK and self.runs_model.data(index, Qt.ItemDataRole.DecorationRole) is not None:
            room -= PIN_ROOM
        return bool(text) and self.fontMetrics().horizontalAdvance(text) > room

    def tip(self, index: QModelIndex) -> str:
        """A cell's tooltip: its text whole when the column cuts it, then the row's own tooltip."""
        own = str(self.runs_model.data(index, Qt.ItemDataRole.ToolTipRole) or "")
        whole = str(self.runs_model.data(index) or "") if self.is_cut(index) else ""
        return "\n".join(filter(None, [whole, own]))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            if index.isValid():
                text = self.tip(index)
                if text:
                    QToolTip.showText(event.globalPos(), text, self.viewport(), self.visualRect(index))
                else:
                    QToolTip.hideText()
                return True
        return super().viewportEvent(event)

    # -- sorting ------------------------------------------------------------------------

    def _newest_first(self, column: int, order: Qt.SortOrder) -> None:
        """A first click on the run or date column sorts the newest first; clicks after it turn it round."""
        first, self._sorted_by = column != self._sorted_by, column
        newest = column > TICK and COLUMNS[column - 1].key in NEWEST_FIRST
        if first and newest and order == Qt.SortOrder.AscendingOrder:
            self.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)  # sorts again

    # -- columns and rows ---------------------------------------------------------------

    def show_columns(self, keys: Collection[str]) -> None:
        for column, spec in enumerate(COLUMNS, start=1):
            self.setColumnHidden(column, spec.key not in keys)

    def visible_columns(self) -> list[str]:
        """The keys of the columns shown (the tick column aside)."""
        return [spec.key for column, spec in enumerate(COLUMNS, start=1) if not self.isColumnHidden(column)]

    def selected_runs(self) -> list[RunSummary]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self.runs_model.run_at(row) for row in rows]

    def select_runs(self, run_ids: Collection[int], only: bool = False) -> None:
        """Select these runs' rows (after a refill, say); with `only`, nothing else."""
        selection = self.selectionModel()
        if only:
            selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for run_id in run_ids:
            row = self.runs_model.row_of(run_id)
            if row is not None:
                selection.select(self.runs_model.index(row, 0), flags)
                if only:
                    selection.setCurrentIndex(self.runs_model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def cell_at(self, run_id: int, key: str) -> QModelIndex:
        row = self.runs_model.row_of(run_id)
        return QModelIndex() if row is None else self.runs_model.index(row, self.runs_model.column_of(key))
