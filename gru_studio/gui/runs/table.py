"""The runs table's view: one fixed row height, columns sized once, hidden by key, rows selected by run.

Scrolling 1,000 runs stays smooth because nothing is measured while it
scrolls: every row has the same height, and the columns are fitted once to
their header and their longest text (measured once each, where
`resizeColumnsToContents` would measure every cell).
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gru_studio.engine.history.columns import COLUMNS
from gru_studio.engine.history.summary import RunSummary
from gru_studio.gui.runs.model import TICK, RunsTableModel

TICK_WIDTH = 44  # the box and the curve's colour
MAX_WIDTH = 260  # a long name is cut (its tooltip and the rename box show it whole)


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

    def size_columns(self) -> None:
        """Fit each column to its header and its longest text; the user's widths are left alone after."""
        metrics, header_metrics = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        longest = self.runs_model.longest_texts()
        for column in range(self.runs_model.columnCount()):
            if column == TICK:
                self.setColumnWidth(column, TICK_WIDTH)
                continue
            title = str(self.runs_model.headerData(column, Qt.Orientation.Horizontal))
            # The header needs room for its sort arrow too.
            width = max(metrics.horizontalAdvance(longest[column]) + 16, header_metrics.horizontalAdvance(title) + 28)
            self.setColumnWidth(column, min(width, MAX_WIDTH))

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
