"""The reminders in the window: the "Due and overdue" panel offered once a day when an
inspection is opened, and the tray watcher (:mod:`ui.reminders.panel`, :mod:`ui.reminders.tray`).

The panel is offered a moment after the inspection is on show (a single-shot timer started
once the window has first been painted: a start-up longer than the timer would otherwise offer
it before the window's first paint, and the person would wait for both); it is offered only
when the window is visible and something is due, at most once a day for each database and
inspection (the day is kept in the settings), and it never takes the focus from the window.
The panel's module is loaded when it is first offered: start-up does not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from esi_desktop import autostart, database, inspections
from esi_desktop.errors import EsiError
from esi_desktop.reminders import DueAndOverdue, due_and_overdue
from ui.reminders.tray import Notifier, TrayNotifier, TrayWatcher

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.reminders.panel import DuePanel

#: How long after an inspection is on show the panel is offered.
OFFER_AFTER_MS = 300


class Reminders(QObject):
    """The panel and the tray watcher of one main window.

    Attributes:
        panel: the "Due and overdue" panel, once it was made.
        watcher: announces what becomes overdue or due while the program runs.
    """

    def __init__(
        self,
        window: MainWindow,
        *,
        notifier: Notifier | None = None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(window)
        self._window = window
        #: The database opening and the inspection last on show: another one is an opening.
        self._place: tuple[object, int | None] = (None, None)
        self.panel: DuePanel | None = None
        self.watcher = TrayWatcher(
            window.workspace,
            days=window.settings.reminder_days,
            notifier=notifier or TrayNotifier(window, clicked=self.show_panel),
            now=now,
            parent=self,
        )
        self._offer = QTimer(self)
        self._offer.setSingleShot(True)
        self._offer.setInterval(OFFER_AFTER_MS)
        self._offer.timeout.connect(self.offer_panel)
        #: Whether the window has been painted; until then an offer waits (:meth:`eventFilter`).
        self.painted = False
        self._offer_waiting = False
        window.installEventFilter(self)
        window.workspace.changed.connect(self._plan_changed)
        self.watcher.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """At the window's first paint, start what start-up left for after it."""
        if event.type() == QEvent.Type.Paint and watched is self._window:
            watched.removeEventFilter(self)
            self.painted = True
            if self._offer_waiting:
                self._offer.start()
            # an entry written by a copy since moved would start nothing
            QTimer.singleShot(OFFER_AFTER_MS, refresh_autostart)
        return False

    def _offer_soon(self) -> None:
        if self.painted:
            self._offer.start()
        else:
            self._offer_waiting = True  # the timer starts at the first paint

    @Slot()
    def _plan_changed(self) -> None:
        # each opening of a database (the same one again too) is a new OpenedDatabase
        place = (database.opened(), self._window.workspace.inspection_id)
        if place[0] is not self._place[0] or place[1] != self._place[1]:  # it was opened
            self._place = place
            self.watcher.restart()
            if self.panel is not None:
                # its rows are the other plan's (opening one would open another item here);
                # the offer below decides whether this plan's list is due today
                self.panel.hide()
            if place[1] is not None:
                self._offer_soon()
        elif self.panel is not None and self.panel.isVisible():
            self._fill_panel()  # an item completed or moved: the list follows

    def _due(self) -> DueAndOverdue | None:
        workspace = self._window.workspace
        try:
            plan = workspace.plan()
        except EsiError:
            return None  # a lost connection: the window says so
        if plan is None:
            return None
        return due_and_overdue(plan, workspace.today(), self._window.settings.reminder_days())

    @Slot()
    def offer_panel(self) -> bool:
        """Show the panel if something is due and it was not shown today for this database
        and inspection.

        Returns:
            Whether it was shown.
        """
        window = self._window
        url, inspection_id = window.database_url, window.workspace.inspection_id
        if not window.isVisible() or url is None or inspection_id is None:
            return False
        if QApplication.activeModalWidget() is not None:
            self._offer_soon()  # never over a dialog in use: offered once it is closed
            return False
        due = self._due()
        if not due:
            return False
        from ui.reminders.panel import panel_place  # loaded after the first paint

        place, today = panel_place(url, inspection_id), window.workspace.today()
        if window.settings.panel_shown_on(place) == today:
            return False
        self._show(due, keep_focus=True)
        window.settings.set_panel_shown_on(place, today)
        return True

    @Slot()
    def show_panel(self) -> None:
        """View ▸ Due and overdue…: show the panel now, even if it was shown today."""
        due = self._due()
        if due is None:
            return
        self._show(due)
        if self.panel is not None:
            self.panel.activateWindow()  # asked for: it takes the keyboard

    def _show(self, due: DueAndOverdue, *, keep_focus: bool = False) -> None:
        if self.panel is None:
            from ui.reminders.panel import DuePanel  # start-up does not pay for the panel

            self.panel = DuePanel(self._window)
            self.panel.open_item.connect(self._open_item)
        self._fill_panel(due)
        if keep_focus and QApplication.activeWindow() is self._window:
            self.panel.show_quietly(self._window)
        else:
            self.panel.show()

    def _fill_panel(self, due: DueAndOverdue | None = None) -> None:
        if due is None:
            due = self._due()
        inspection_id = self._window.workspace.inspection_id
        if self.panel is None or due is None or inspection_id is None:
            return
        try:
            name = inspections.inspection_summary(inspection_id=inspection_id).name
        except EsiError:
            return
        self.panel.set_items(name, due)

    @Slot(str, int)
    def _open_item(self, kind: str, item_id: int) -> None:
        self._window.workspace.navigate.emit("plan", kind, item_id)
        self._window.activateWindow()


def refresh_autostart() -> bool:
    """Point the "start when I sign in" entry at this copy, if it names another place.

    Returns:
        True when the entry was rewritten. A refusal is logged, never shown: the person did
        not ask for anything just now, and Preferences shows the setting.
    """
    try:
        return autostart.refresh()
    except EsiError as error:
        logging.getLogger(__name__).warning("The start-up entry was not refreshed: %s", error)
        return False
