"""While the program runs: a notification when an item becomes overdue or comes within the
reminder period (:mod:`esi_desktop.reminders.announce` decides what; this module asks it on a
timer and just after midnight, and says it).

Where the desktop has a system tray, the notification comes from a tray icon; where it has
none (some Linux desktops, the tests' offscreen screen), the status bar says it, and nothing
else happens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

from esi_desktop.errors import EsiError
from esi_desktop.reminders import Announcer, Crossing, announcement, due_and_overdue
from ui.workspace import Workspace

#: How often the plan is looked at while the program runs.
CHECK_EVERY_MS = 30 * 60 * 1000
#: The title of every notification.
TITLE = "ESI Desktop: due and overdue"
#: How long a notification and its status bar message stay.
SHOWN_MS = 30_000


class Notifier(Protocol):
    """Says a notification to the person."""

    def notify(self, title: str, message: str) -> None:
        """Show ``message`` (one or more lines) under ``title``."""


def opens_panel(reason: QSystemTrayIcon.ActivationReason) -> bool:
    """Whether a click on the tray icon opens the panel: a left click or a double click does;
    a right click asks for the icon's menu, and the middle button means nothing here."""
    return reason in (
        QSystemTrayIcon.ActivationReason.Trigger,
        QSystemTrayIcon.ActivationReason.DoubleClick,
    )


class TrayNotifier:
    """The system tray's notification where there is a tray; the status bar always."""

    def __init__(self, window: QMainWindow, clicked: Callable[[], None] | None = None) -> None:
        self._window = window
        self._clicked = clicked
        self.tray: QSystemTrayIcon | None = None  # made at the first notification

    def notify(self, title: str, message: str) -> None:
        """Say ``message`` in the status bar, and in a tray notification if there is a tray."""
        self._window.statusBar().showMessage(message.replace("\n", "; "), SHOWN_MS)
        if not (QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()):
            return
        if self.tray is None:
            icon = self._window.windowIcon()
            if icon.isNull():
                # named here: PySide makes QStyle's 566 enum members when it is first named
                from PySide6.QtWidgets import QStyle

                icon = self._window.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxInformation
                )
            self.tray = QSystemTrayIcon(icon, self._window)
            self.tray.setToolTip("ESI Desktop")
            clicked = self._clicked
            if clicked is not None:
                self.tray.messageClicked.connect(clicked)
                self.tray.activated.connect(lambda reason: opens_panel(reason) and clicked())
            self.tray.show()
        self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS)


class TrayWatcher(QObject):
    """Looks at the plan on show every :data:`CHECK_EVERY_MS` and just after midnight, and
    announces what became overdue or due since the last look, once.

    Signals:
        announced: the words of a notification just given.
    """

    announced = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        *,
        days: Callable[[], int],
        notifier: Notifier,
        now: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        """
        Args:
            days: the reminder period (read at each look: the preference may change).
            notifier: says the notifications (a fake one in the tests).
            now: the clock the midnight timer is set by (the day itself is the workspace's).
        """
        super().__init__(parent)
        self._workspace = workspace
        self._days = days
        self.notifier = notifier
        self._now = now
        self.announcer = Announcer(workspace.today())
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.midnight = QTimer(self)
        self.midnight.setSingleShot(True)
        self.midnight.timeout.connect(self._past_midnight)

    def start(self) -> None:
        """Look every half hour, and just after each midnight."""
        self.timer.start()
        self._arm_midnight()

    def restart(self) -> None:
        """Another plan is on show: what it has due now is the panel's to show, not news."""
        self.announcer.restart(self._workspace.today())

    def _arm_midnight(self) -> None:
        now = self._now()
        # a few seconds past midnight, so the new day has begun whatever the timer's slack
        after = datetime.combine(now.date() + timedelta(days=1), time(0, 0, 5), now.tzinfo)
        self.midnight.start(max(1000, int((after - now).total_seconds() * 1000)))

    @Slot()
    def _past_midnight(self) -> None:
        self.check()
        self._arm_midnight()

    @Slot()
    def check(self) -> list[Crossing]:
        """Look now; announce what became overdue or due since the last look.

        Returns:
            What was announced.
        """
        if self._workspace.inspection_id is None:
            return []
        today = self._workspace.today()
        days = self._days()
        try:
            plan = self._workspace.plan()
        except EsiError:
            return []  # a lost connection: the window says so; the next look tries again
        if plan is None:
            return []
        due = due_and_overdue(plan, today, days)
        found = self.announcer.check(due.items, today=today, days=days)
        if found:
            words = announcement(found, days)
            self.notifier.notify(TITLE, words)
            self.announced.emit(words)
        return found
