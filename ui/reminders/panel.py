"""The "Due and overdue" panel: what the inspection on show has overdue or due within the
reminder period, offered once a day when it is opened (:mod:`ui.reminders.controller`).

It is a window of its own that never blocks the main window and does not take the focus
when it appears: the secretary reads it, opens an item in the plan (double-click or Enter),
or dismisses it until tomorrow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.dashboard import DueItem
from esi_desktop.reminders import DueAndOverdue, owner_name, when_text
from esi_desktop.wording import long_date, plural
from ui.palette import ink
from ui.screen import fit_to_screen, keep_column_readable

#: At most this many rows are listed; the Dashboard lists them all.
PANEL_ROWS = 50
#: The columns, in order.
COLUMNS = ("Reference", "Item", "Owner", "Date", "When")
REFERENCE, ITEM, OWNER, DATE, WHEN = range(len(COLUMNS))
#: The role holding a row's (kind, id).
ItemRole = Qt.ItemDataRole.UserRole + 1
#: For this long after it appears quietly, the panel gives the keyboard back if it gets it.
QUIET_MS = 1000
#: The colour of "Overdue by …" (the problem colour of the dialogs).
OVERDUE_COLOUR = "#a94442"
#: The widest the Owner column is made, and the narrowest the Item column is let be, in
#: widths of "M": a long owner must not push the item and its date out of sight.
OWNER_EMS, ITEM_EMS = 18, 22


def panel_place(database_url: str, inspection_id: int) -> str:
    """What the once-a-day rule counts by: one database and one inspection in it."""
    return f"{database_url}#{inspection_id}"


class DuePanel(QDialog):
    """The list of what is overdue or due soon, overdue first.

    Signals:
        open_item: a row was chosen (double-click or Enter): its kind and id.

    Attributes:
        table: the rows, one per item.
        heading: what the list is of ("Gloucestershire — January 2005: 2 items overdue …").
        more: "and 12 more — see the Dashboard" when the list is cut.
    """

    open_item = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Due and overdue")
        self.setAccessibleName("Due and overdue")
        self.setModal(False)
        # it must not take the keyboard from what the secretary is doing in the window
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("What is due")
        layout.addWidget(self.heading)
        self.table = QTreeWidget()
        self.table.setAccessibleName("Due and overdue items")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAllColumnsShowFocus(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setToolTip("Double-click an item, or press Enter, to open it in the plan")
        header = self.table.header()
        header.setStretchLastSection(False)
        for column in (REFERENCE, DATE, WHEN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # sized to its names up to OWNER_EMS on filling (set_items), then the person's to change
        header.setSectionResizeMode(OWNER, QHeaderView.ResizeMode.Interactive)
        em = self.table.fontMetrics().horizontalAdvance("M")
        keep_column_readable(self.table, header, ITEM, em * ITEM_EMS)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.more = QLabel()
        self.more.setAccessibleName("More items")
        layout.addWidget(self.more)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open in the plan")
        self.open_button.setToolTip("Show the chosen item in the Action plan")
        self.open_button.clicked.connect(self._open_current)
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip(
            "Close the list until tomorrow (View ▸ Due and overdue shows it again)"
        )
        self.dismiss_button.clicked.connect(self.close)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        layout.addLayout(buttons)
        fit_to_screen(self, 860, 360)
        self._give_back: QWidget | None = None

    def show_quietly(self, active: QWidget) -> None:
        """Show the panel, leaving the keyboard with ``active`` (the window in use).

        Most platforms honour "show without activating"; one that activates every window
        shown gets the keyboard given back if the panel is activated just after it appears.
        """
        self._give_back = active
        self.show()
        QTimer.singleShot(QUIET_MS, self._stop_giving_back)

    @Slot()
    def _stop_giving_back(self) -> None:
        self._give_back = None

    def changeEvent(self, event: QEvent) -> None:
        """Give the keyboard back when activated just after appearing quietly."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            back, self._give_back = self._give_back, None
            # a dialog opened meanwhile keeps the keyboard rather than the window behind it
            modal = QApplication.activeModalWidget()
            target = modal if modal is not None and modal is not self else back
            if target is not None:
                target.activateWindow()

    def set_items(self, inspection: str, due: DueAndOverdue, *, rows: int = PANEL_ROWS) -> None:
        """Show what is due, overdue first, at most ``rows`` rows."""
        self.heading.setText(
            f"<b>{_escape(inspection)}</b>: {_escape(due.summary)} (as at {long_date(due.today)})."
            if due
            else f"<b>{_escape(inspection)}</b>: nothing is overdue or due within "
            f"{plural(due.days, 'day')}."
        )
        self.table.clear()
        items = due.items
        overdue = {id(item) for item in due.overdue}
        for item in items[:rows]:
            self.table.addTopLevelItem(_row(item, id(item) in overdue))
        em = self.table.fontMetrics().horizontalAdvance("M")
        self.table.resizeColumnToContents(OWNER)
        header = self.table.header()
        header.resizeSection(OWNER, min(header.sectionSize(OWNER), em * OWNER_EMS))
        left = len(items) - rows
        self.more.setText(f"and {left} more — see the Dashboard" if left > 0 else "")
        self.more.setVisible(left > 0)
        self.open_button.setEnabled(bool(items))
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)

    def rows(self) -> list[tuple[str, ...]]:
        """What each row shows, column by column (for the tests and the screen reader)."""
        return [
            tuple(row.text(column) for column in range(len(COLUMNS)))
            for row in (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
            if row is not None
        ]

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        row = self.table.itemFromIndex(index)
        if row is not None:
            self._open(row)

    @Slot()
    def _open_current(self) -> None:
        row = self.table.currentItem()
        if row is not None:
            self._open(row)

    def _open(self, row: QTreeWidgetItem) -> None:
        kind, item_id = row.data(REFERENCE, ItemRole)
        self.open_item.emit(kind, item_id)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _row(item: DueItem, overdue: bool) -> QTreeWidgetItem:
    when = when_text(item.due, item.today)
    # the owner's name: an address written with it is for the e-mails (the tooltip has it)
    owner = owner_name(item.owner) if item.owner.strip() else ""
    row = QTreeWidgetItem([item.reference, item.text, owner, long_date(item.due), when])
    row.setData(REFERENCE, ItemRole, (item.kind, item.id))
    row.setToolTip(ITEM, f"{item.labelled_text}\nAction: {item.labelled_action}")
    row.setToolTip(OWNER, " ".join(item.owner.split()))
    if overdue:
        row.setForeground(WHEN, ink(OVERDUE_COLOUR))  # legible on a dark theme too
        font = row.font(WHEN)
        font.setBold(True)
        row.setFont(WHEN, font)
    return row
