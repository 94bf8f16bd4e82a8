"""The window's database: opening it, seeing other people's changes, and outages.

:class:`DatabaseConnection` is owned by the main window. It opens databases (File ▸ Open,
Open recent, Restore backup…), refreshes the window when someone else changed the
database (on regaining focus, every minute, and at once on a server that notifies), says
once when the open file was replaced or removed underneath the window, and, when a server's
connection is lost, shows one calm notice and reconnects by itself, off the GUI thread.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QMessageBox

from esi_desktop import credentials, database
from esi_desktop.errors import EsiError
from ui import accessibility, runner

if TYPE_CHECKING:
    from esi_desktop.notifications import ChangeListener
    from ui.main_window import MainWindow


class DatabaseConnection(QObject):
    """The open database of one window, and what happens to it.

    Signals:
        database_replaced: the open database's file was found replaced or removed (the
            sentence); the window says so once and offers to reopen it.
        connection_lost: the server's connection was found lost (the sentence); the window
            shows one notice and reconnects by itself.

    Attributes:
        url: the open database's URL (without a password), or None.
        banner: the notice of a lost connection, placed by the window above its pages.
        outage_notices: how many times the notice was put up (one per outage).
        refresh_timer: the minute's check for other people's changes.
        replaced_box: the question shown when the file was replaced, while it is shown.
    """

    database_replaced = Signal(str)
    connection_lost = Signal(str)
    _reconnect_finished = Signal(int, object)
    _server_checked = Signal(int, str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.url: str | None = None
        # a lost server connection: one calm notice above the pages, never a dialog per call
        self.banner = QLabel()
        self.banner.setAccessibleName("Connection notice")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; padding: 6px 10px; "
            "border-bottom: 1px solid #e0c97f; }"
        )
        self.banner.hide()

        # see other people's changes: on regaining focus, and every minute in the background
        self._change_stamp: object = None
        self._restoring = False  # a backup is being put in place: leave the file alone
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(60_000)
        self.refresh_timer.timeout.connect(self._refresh_in_background)
        self.refresh_timer.start()
        self.listener: ChangeListener | None = None
        self._listener_notifier: QSocketNotifier | None = None

        # the open file replaced (a restore elsewhere) or removed: whichever read or save
        # finds it, say so once, after the failing call has returned
        self.replaced: str | None = None
        self.replaced_box: QMessageBox | None = None
        self.database_replaced.connect(
            self._tell_database_replaced, Qt.ConnectionType.QueuedConnection
        )
        database.add_outage_listener(self._database_outage_found)

        # the server's connection lost: try again after 1, 2, 4 … 30 seconds, off this thread
        self.lost: str | None = None
        self.outage_notices = 0
        self._outage = 0  # numbers outages, so an answer from an earlier one is dropped
        self._reconnecting = False
        self._reconnect_delay = 1
        self.reconnect_timer = QTimer(self)
        self.reconnect_timer.setSingleShot(True)
        self.reconnect_timer.timeout.connect(self._try_reconnect)
        self.connection_lost.connect(self._tell_connection_lost, Qt.ConnectionType.QueuedConnection)
        self._reconnect_finished.connect(self._reconnected, Qt.ConnectionType.QueuedConnection)
        self._checking = False
        self._refresh_when_checked = False
        self._server_checked.connect(self._checked, Qt.ConnectionType.QueuedConnection)

    # ----- opening --------------------------------------------------------------------------

    def open_initial(self, url: str | None) -> None:
        """Open the database named on the command line, else the last one, else the default."""
        settings = self._window.settings
        self.open(url or settings.last_database() or database.default_database_url())

    def open(self, url: str, *, create: bool = True, password: str | None = None) -> bool:
        """Open a database and show its inspections; a failure is shown, never raised.

        A server's password comes from ``password``, PGPASSWORD or the system keyring; it is
        never kept in the settings (only the URL without it is). The preferences (backups to
        keep, the journal switch, the server's timeout) are read here, at each opening.
        """
        window = self._window
        window.keep_what_is_typed()  # into the database it was typed for, before it goes
        connect_url = credentials.with_password(url, password)
        url = credentials.without_password(url)
        settings = window.settings
        try:
            database.disconnect()
            database.connect(
                connect_url,
                create=create,
                force_rollback_journal=settings.force_rollback_journal(),
                backups_to_keep=settings.backups_to_keep(),
                server_timeout=settings.server_timeout(),
            )
        except database.DatabaseDamaged as exc:
            from ui.database.backups import recovery_dialog

            accessibility.resume()  # a dialog before the first paint gets the keyboard rules
            self._closed(str(exc))
            replacement = recovery_dialog(window, exc.path)
            if replacement is not None:
                return self.open(replacement, create=False)
            return False
        except EsiError as exc:
            accessibility.resume()
            self._closed(str(exc))
            QMessageBox.warning(window, "Cannot open the database", str(exc))
            return False
        self.url = url
        # the undo history belongs to the database it was made in: never replayed into another
        window.workspace.undo_stack.clear()
        window.workspace.known_versions.clear()
        self._end_outage()
        self._change_stamp = database.change_stamp()
        self._listen_for_changes()
        database.watch_for_stalls()  # a stalled server is found within seconds, not frozen on
        settings.set_last_database(url)
        settings.add_recent_database(url)
        window.setWindowTitle(f"ESI Desktop — {database.describe_url(url)}")
        window.statusBar().showMessage(f"Opened {database.describe_url(url)}", 5000)
        window.refresh()
        opened = database.opened()
        if opened is not None:
            if opened.backup_problem:
                window.statusBar().showMessage(opened.backup_problem, 15000)
            if opened.on_network_path and opened.path is not None:
                from ui.database.backups import network_path_warning

                accessibility.resume()
                network_path_warning(window, opened.path)
        return True

    def _closed(self, reason: str) -> None:
        self.url = None
        self._window.show_no_database(reason)

    @Slot()
    def open_database_dialog(self) -> None:
        """Open a database file, or a shared PostgreSQL server."""
        from ui.database.open_dialog import OpenDatabaseDialog

        dialog = OpenDatabaseDialog(self._window)
        self.open_dialog = dialog
        if dialog.exec() != OpenDatabaseDialog.DialogCode.Accepted:
            return
        self.open(dialog.url, create=False, password=dialog.typed_password or None)
        if dialog.keyring_problem:
            self._window.statusBar().showMessage(dialog.keyring_problem, 10000)

    @Slot()
    def restore_backup(self) -> None:
        """File ▸ Restore backup…: put an earlier copy of this database back, then reopen it."""
        from ui.database.backups import restore_backup_dialog

        url = self.url
        if url is None:
            QMessageBox.information(
                self._window, "No database", "Open the database to restore first."
            )
            return
        if runner.say_busy(self._window):  # one restore (or import) at a time
            return
        self._restoring = True  # the file is closed and replaced off the GUI thread
        try:
            restored = restore_backup_dialog(self._window, url)
        finally:
            self._restoring = False
        if restored:
            said = self._window.statusBar().currentMessage()  # which backup, kept where
            self.open(url, create=False)
            self._window.statusBar().showMessage(said, 15000)

    def close(self) -> None:
        """The window is closing: stop watching and close the database."""
        self._stop_listening()
        self._end_outage()
        database.remove_outage_listener(self._database_outage_found)
        database.disconnect()

    # ----- seeing other people's changes ----------------------------------------------------

    def on_server(self) -> bool:
        """The open database is a PostgreSQL server's."""
        return (self.url or "").startswith(("postgresql://", "postgres://"))

    def window_activated(self) -> None:
        """The window regained focus: refresh from the database if someone changed it."""
        if self.on_server():
            self._check_server_in_background(refresh=True)  # refreshes when it answers
        else:
            self.refresh_if_changed()

    @Slot()
    def _refresh_in_background(self) -> None:
        if self.url is None or self.replaced is not None or self.lost is not None:
            return
        if self._restoring:
            return
        try:
            database.heartbeat()  # notices a database replaced while nobody is editing
        except database.DatabaseReplaced:
            return  # the window says so (see _database_outage_found)
        if self.on_server():
            # a stalled server would freeze the window for the whole timeout: ask it first,
            # off this thread, and refresh only when it answers (see _checked)
            self._check_server_in_background(refresh=not self._window.isActiveWindow())
            return
        # while the window is in use, refreshing could close an editor under the user's hands
        if not self._window.isActiveWindow():
            self.refresh_if_changed()

    def _check_server_in_background(self, *, refresh: bool) -> None:
        """Ask the server one question on a thread of its own; refresh when it answers."""
        self._refresh_when_checked = self._refresh_when_checked or refresh
        if self._checking or self.lost is not None:
            return
        self._checking = True
        outage = self._outage

        def check() -> None:
            problem = ""
            try:
                database.check_server()
            except Exception as exc:  # it does not answer
                problem = str(exc) or "it does not answer"
            with suppress(RuntimeError):  # the window is gone
                self._server_checked.emit(outage, problem)

        threading.Thread(target=check, name="esi-server-check", daemon=True).start()

    @Slot(int, str)
    def _checked(self, outage: int, problem: str) -> None:
        self._checking = False
        refresh, self._refresh_when_checked = self._refresh_when_checked, False
        if outage != self._outage or self.lost is not None or self.url is None:
            return
        if problem:  # stalled or gone: say so now, and refuse edits at once, not after a wait
            database.report_connection_lost("it did not answer a check")
            return
        if refresh:
            self.refresh_if_changed()

    def refresh_if_changed(self) -> bool:
        """Reload the views if another connection changed the database since last time."""
        if self.url is None or self.replaced is not None or self.lost is not None:
            return False
        if self._restoring:
            return False
        try:
            stamp = database.change_stamp()
        except Exception:  # a database gone away is reported by the next real operation
            return False
        if stamp == self._change_stamp:
            return False
        first = self._change_stamp is None
        self._change_stamp = stamp
        if not first:
            self._window.refresh()
        return not first

    def _listen_for_changes(self, listener: ChangeListener | None = None) -> None:
        """On a shared server, refresh as soon as another secretary's change commits."""
        from esi_desktop.notifications import listener_for

        self._stop_listening()
        listener = listener if listener is not None else listener_for()
        if listener is None:
            return
        try:
            listener.ignore_own_changes()
        except EsiError:  # lost again at once: the notice stays and the window tries again
            listener.close()
            return
        self.listener = listener
        self._listener_notifier = QSocketNotifier(
            listener.fileno(), QSocketNotifier.Type.Read, self
        )
        self._listener_notifier.activated.connect(self._notified)

    def _stop_listening(self) -> None:
        notifier = self._listener_notifier
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()
            self._listener_notifier = None
        listener = self.listener
        if listener is not None:
            listener.close()
            self.listener = None

    @Slot()
    def _notified(self) -> None:
        listener = self.listener
        if listener is None:
            return
        try:
            changed = listener.changes_by_others()
        except EsiError:
            # the socket is dead, and a dead socket reads as ready for ever: stop watching it
            # now (the window is told of the lost connection and reconnects)
            self._stop_listening()
            return
        if changed:
            self._window.refresh()
            self._window.statusBar().showMessage(
                "Updated with a change made by someone else.", 5000
            )

    # ----- the database replaced underneath the window, or the server lost -----------------

    def _database_outage_found(self, error: database.DatabaseOutage) -> None:
        """Called where a read or save finds the file replaced or the server lost: note it,
        say so later (perhaps on another thread)."""
        lost = isinstance(error, database.DatabaseConnectionLost)
        if (self.lost if lost else self.replaced) is not None:
            return  # already being told: one notice, however many calls fail
        try:
            if lost:
                self.lost = str(error)
                self.connection_lost.emit(str(error))
            else:
                self.replaced = str(error)
                self.database_replaced.emit(str(error))
        except RuntimeError:  # this window is gone (its listener outlived it)
            database.remove_outage_listener(self._database_outage_found)

    @Slot(str)
    def _tell_connection_lost(self, message: str) -> None:
        """Put up one notice, stop listening on the dead socket and start reconnecting."""
        if self.url is None or not database.server_lost():
            self.lost = None  # found while another database was being opened: not this one
            return
        self._stop_listening()
        self._outage += 1
        self._reconnect_delay = 1
        last = database.last_answer()
        since = f" (last read or saved at {last:%H:%M})" if last is not None else ""
        self.banner.setText(
            f"Lost the connection to the server at {datetime.now():%H:%M}{since} — "
            "reconnecting… Changes cannot be saved until it is back; nothing is kept waiting."
        )
        self.banner.setToolTip(message)
        self.banner.show()
        self.outage_notices += 1
        self._try_reconnect()

    @Slot()
    def _try_reconnect(self) -> None:
        """Ask the server, on a thread of its own, whether it answers again."""
        if self.lost is None or self._reconnecting:
            return
        self._reconnecting = True
        outage = self._outage

        def attempt() -> None:
            from esi_desktop.notifications import listen_again

            result: object
            try:
                result = listen_again()
            except Exception as exc:  # any failure means: not yet
                result = str(exc)
            try:
                self._reconnect_finished.emit(outage, result)
            except RuntimeError:  # the window is gone
                if not isinstance(result, str) and result is not None:
                    result.close()

        threading.Thread(target=attempt, name="esi-reconnect", daemon=True).start()

    @Slot(int, object)
    def _reconnected(self, outage: int, result: object) -> None:
        self._reconnecting = False
        listener = None if isinstance(result, str) else cast("ChangeListener | None", result)
        if outage != self._outage or self.lost is None or self.url is None:
            if listener is not None:
                listener.close()  # an answer about an earlier outage or another database
            if self.lost is not None and self.url is not None:
                self._try_reconnect()  # a newer outage waited for this attempt to end
            return
        if isinstance(result, str) or not database.resume_server():
            if listener is not None:
                listener.close()  # a transaction is still unwinding: listen on the next try
            self.banner.setToolTip(result if isinstance(result, str) else self.lost)
            self.reconnect_timer.start(self._reconnect_delay * 1000)
            self._reconnect_delay = min(30, self._reconnect_delay * 2)
            return
        self.lost = None
        self.banner.hide()
        self._listen_for_changes(listener)
        database.watch_for_stalls()
        self._window.refresh()  # what others changed meanwhile, and what could not be saved
        self._window.statusBar().showMessage(
            f"Reconnected to the server at {datetime.now():%H:%M}; the views show the plan "
            "as it is now.",
            10000,
        )

    def _end_outage(self) -> None:
        """Forget an outage (another database opened, or the window closing)."""
        self._outage += 1
        self.lost = None
        self.reconnect_timer.stop()
        self.banner.hide()

    @Slot(str)
    def _tell_database_replaced(self, message: str) -> None:
        """Say once that the database was replaced or removed; reopen it, or close it."""
        window = self._window
        if not window.isVisible():  # found while closing: nothing is left to reopen
            return
        url = self.url
        removed = "was removed" in message
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The database was removed" if removed else "The database was replaced",
            message,
            QMessageBox.StandardButton.NoButton,
            window,
        )
        box.setInformativeText(
            "Nothing more is read from or saved to the file you had open: a change you were "
            "making when this appeared was not saved. Reopen shows the database as it is now "
            "(if a backup was restored, the database as it was is kept in its backups folder)."
        )
        reopen = box.addButton("Reopen", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(reopen)
        self.replaced_box = box
        box.exec()
        chosen_reopen = box.clickedButton() is reopen
        self.replaced_box = None
        box.deleteLater()
        # undoing would replay edits made on the file that is gone
        window.workspace.undo_stack.clear()
        self.replaced = None
        if chosen_reopen and url is not None:
            self.open(url, create=False)
            return
        database.disconnect()
        self._end_outage()
        self._closed(message)
        window.enable_inspection_actions(False)
