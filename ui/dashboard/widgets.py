"""The dashboard's widgets: the RAG tiles, tables and lists as tall as their rows, the pills."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListView,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
)

from esi_desktop.dashboard_clock import NEAR_DAYS
from esi_desktop.rules import DUE_SOON_DAYS, Rag
from esi_desktop.wording import plural
from ui.dashboard.models import TEXT_ON_COLOUR, DueColumn
from ui.models import RAG_COLOURS

RAG_MEANINGS = {
    Rag.RED: "Red: a milestone is overdue, or under half done and past its target date.",
    Rag.AMBER: (
        f"Amber: a milestone is due within {DUE_SOON_DAYS} days, or the owner marked it at risk."
    ),
    Rag.GREEN: "Green: on track.",
    Rag.BLUE: "Blue: complete.",
}


class RagTile(QFrame):
    """A coloured tile: the count of actions of one RAG, with the word (never colour alone)."""

    def __init__(self, rag: Rag) -> None:
        super().__init__()
        self.rag = rag
        self.setObjectName("ragTile")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(
            f"QFrame#ragTile {{ background-color: {RAG_COLOURS[rag]}; border-radius: 6px; }}"
            f"QFrame#ragTile QLabel {{ color: {TEXT_ON_COLOUR}; background: transparent; }}"
        )
        self.setToolTip(RAG_MEANINGS[rag])
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        self.count_label = QLabel("0")
        font = self.count_label.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.count_label.setFont(font)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label = QLabel()
        caption_font = self.caption_label.font()
        caption_font.setBold(True)
        self.caption_label.setFont(caption_font)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.count_label)
        layout.addWidget(self.caption_label)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        """Show how many actions have this RAG."""
        self.count = count
        self.count_label.setText(str(count))
        self.caption_label.setText(f"{self.rag.value} {'action' if count == 1 else 'actions'}")
        self.setAccessibleName(f"{self.rag.value}: {plural(count, 'action')}")

    def text(self) -> str:
        """What the tile says, as read aloud: "Red: 2 actions"."""
        return self.accessibleName()


def _grow_with_rows(view: QAbstractItemView, model: QAbstractItemModel | None) -> None:
    """Ask the layout again whenever the model's rows change (the view is as tall as they)."""
    if model is not None:
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(view.updateGeometry)


class FittedTable(QTableView):
    """A table exactly as tall as its rows: the dashboard scrolls, not each table.

    The height comes from the header and row sizes in use, so it follows the fonts and the
    display's scaling. With ``max_rows``, a longer table is that many rows tall and scrolls
    itself: its rows all have the font's height, and nothing is measured over every row.
    """

    def __init__(self, name: str, max_rows: int | None = None) -> None:
        super().__init__()
        self.max_rows = max_rows
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        if max_rows is None:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        _grow_with_rows(self, model)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        header = self.horizontalHeader()
        height = 0 if header.isHidden() else header.sizeHint().height()
        rows = self.verticalHeader()
        if self.max_rows is not None and rows.count() > self.max_rows:
            height += rows.defaultSectionSize() * self.max_rows
        else:
            height += rows.length()
        height += 2 * self.frameWidth()
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class FittedList(QListView):
    """A list as tall as its rows, with room for a few even when it is short or empty."""

    def __init__(self, name: str, minimum_rows: int = 3) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.minimum_rows = minimum_rows
        self.setSpacing(2)
        # a long row is elided (its tooltip has it whole) rather than scrolled sideways
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        _grow_with_rows(self, model)

    def sizeHint(self) -> QSize:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        row_height = self.sizeHintForRow(0) if rows else -1
        if row_height <= 0:
            row_height = self.fontMetrics().lineSpacing() + 4
        # one spare row, so the list never looks full to the brim
        shown = max(rows + 1, self.minimum_rows)
        height = (row_height + 2 * self.spacing()) * shown + 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        # wide enough for the longest date, whatever the font
        width = self.fontMetrics().horizontalAdvance("30 September 2005") * 3 // 2
        return QSize(width, self.sizeHint().height())


def group(title: str) -> QGroupBox:
    """A titled box of the dashboard, its title in bold."""
    box = QGroupBox(title)
    box.setAccessibleName(title)
    # a style sheet font is not inherited by the box's children, unlike setFont
    box.setStyleSheet("QGroupBox { font-weight: bold; }")
    return box


def set_urgency(label: QLabel, text: str, urgency: Rag | None) -> None:
    """Show a deadline's time left, on red when overdue and amber when near."""
    label.setText(text)
    label.setProperty("urgency", urgency.value if urgency else "")
    if urgency is None:
        # the same padding as the coloured pills, so the dates line up either way
        label.setStyleSheet("QLabel { padding: 0.1em 0.5em; }")
        label.setToolTip("")
        return
    label.setStyleSheet(
        f"QLabel {{ background-color: {RAG_COLOURS[urgency]}; color: {TEXT_ON_COLOUR}; "
        "border-radius: 4px; padding: 0.1em 0.5em; font-weight: bold; }"
    )
    label.setToolTip("Overdue" if urgency == Rag.RED else f"Due within {NEAR_DAYS} days")


#: The overdue and due-soon table shows this many rows at most, and scrolls for the rest.
DUE_TABLE_ROWS = 15
#: Its narrow columns are as wide as the widest of this many rows (in the order shown)...
SIZING_SAMPLE_ROWS = 50
#: The largest focus frame margin of Qt's styles (Fusion's 2, Windows' 1) and a pixel more.
CELL_FOCUS_MARGIN = 3
#: ... and never narrower than these words, the widest a date or a flag usually is.
WIDEST_WORDS = {
    DueColumn.DUE: "30 September 2005",
    DueColumn.FLAG: "Due soon (in 14 days)",
}


def due_table(model: QAbstractItemModel) -> FittedTable:
    """The table of what is overdue or falls due soon, soonest first.

    It is at most :data:`DUE_TABLE_ROWS` rows tall and scrolls for more. The Milestone and
    Action columns share the width; Owner, Due and Flag are sized to a sample of the rows
    whenever the rows are replaced (:func:`fit_narrow_columns`), never to every row, and
    can be widened by hand.
    """
    table = FittedTable("Overdue and due-soon items", max_rows=DUE_TABLE_ROWS)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(DueColumn.DUE, Qt.SortOrder.AscendingOrder)
    table.setToolTip("Double-click an action or milestone, or press Enter, to open it in the plan")
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(SIZING_SAMPLE_ROWS)
    for column in (DueColumn.MILESTONE, DueColumn.ACTION):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    for column in (DueColumn.OWNER, DueColumn.DUE, DueColumn.FLAG):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    model.modelReset.connect(lambda: fit_narrow_columns(table))
    fit_narrow_columns(table)
    return table


def fit_narrow_columns(table: QTableView) -> None:
    """Size Owner, Due and Flag to their title and the first rows shown, and to the widest
    date and flag (:data:`WIDEST_WORDS`): a sample, not every row."""
    metrics = table.fontMetrics()
    # the room a cell's text is given besides its words: the style's margins (2 × its focus
    # frame margin + 1, at most 3 in Qt's styles), and a character to spare. Not asked of
    # the style: the first window would pay PySide 566 enum members for QStyle (issue 13).
    padding = 2 * (CELL_FOCUS_MARGIN + 1) + metrics.averageCharWidth()
    for column in (DueColumn.OWNER, DueColumn.DUE, DueColumn.FLAG):
        width = table.sizeHintForColumn(column)  # at most SIZING_SAMPLE_ROWS rows
        words = WIDEST_WORDS.get(column)
        if words is not None:
            width = max(width, metrics.horizontalAdvance(words) + padding)
        width = max(width, table.horizontalHeader().sectionSizeHint(column))
        table.setColumnWidth(column, width)
