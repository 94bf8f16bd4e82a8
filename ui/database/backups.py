"""Backups in the window: File ▸ Restore backup…, recovering a damaged file, the network warning.

The window wires these in: :func:`restore_backup_dialog` behind File ▸ Restore backup…,
:func:`recovery_dialog` when opening fails with :class:`esi_desktop.database.DatabaseDamaged`,
and :func:`network_path_warning` when :func:`esi_desktop.database.opened` says the file is on
a network path. A restore runs off the GUI thread (:mod:`ui.runner`) with a progress dialog;
the dialogs still answer whether it happened, waiting with the window's events flowing.
"""

from __future__ import annotations

from contextlib import suppress
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import backups, database
from esi_desktop.backups import Backup
from esi_desktop.errors import EsiError
from ui.runner import run_in_background

Index = QModelIndex | QPersistentModelIndex

#: The backup file a row stands for (a str path).
BackupPathRole = Qt.ItemDataRole.UserRole + 1

_DATABASE_FILTER = "ESI Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)"


class BackupColumn(IntEnum):
    """The columns of the backups table."""

    TAKEN = 0
    WHY = 1
    SIZE = 2


_HEADERS = {BackupColumn.TAKEN: "Taken", BackupColumn.WHY: "Why", BackupColumn.SIZE: "Size"}


class BackupListModel(QAbstractTableModel):
    """The backups of one database, newest first: when, why and how big."""

    def __init__(self, rows: list[Backup] | None = None) -> None:
        super().__init__()
        self._rows: list[Backup] = list(rows or [])

    def set_backups(self, rows: list[Backup]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def backup_at(self, row: int) -> Backup:
        """The backup shown in a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BackupColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        backup = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == BackupColumn.TAKEN:
                return backup.when
            if column == BackupColumn.WHY:
                return backup.why.capitalize()
            if column == BackupColumn.SIZE:
                return backup.size_text
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BackupColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == BackupPathRole:
            return str(backup.path)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(BackupColumn)
        ):
            return _HEADERS[BackupColumn(section)]
        return None


class RestoreBackupDialog(QDialog):
    """Lists a database's backups, newest first, and asks which one to restore."""

    def __init__(self, where: str, rows: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore backup")
        layout = QVBoxLayout(self)
        label = QLabel(
            f"Choose the backup of {where} to restore. The database as it is now is kept as a "
            "backup first, so you can undo this. Close ESI Desktop on any other computer that "
            "has this database open before you restore."
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.model = BackupListModel(rows)
        self.table = QTableView()
        self.table.setAccessibleName("Backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(BackupColumn.TAKEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupColumn.WHY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BackupColumn.SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self.accept)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore…")
        self.restore_button.setAccessibleName("Restore")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()
        self.resize(620, 340)

    def chosen(self) -> Backup | None:
        """The backup selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None


def _confirm_restore(parent: QWidget, where: str, chosen: Backup) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore backup",
        f"Replace the database {where} with the backup taken {chosen.when}?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setInformativeText(
        "Changes made since then are taken out of the database; the database as it is now is "
        "kept as a backup, so you can restore it again to undo this."
    )
    box.button(QMessageBox.StandardButton.Yes).setText("Restore")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _restore_anyway(parent: QWidget, refusal: backups.DatabaseInUse) -> bool:
    """ESI Desktop has the database open elsewhere: ask whether to restore all the same."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The database is open elsewhere",
        str(refusal),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    anyway = box.addButton("Restore anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    chosen = box.clickedButton() is anyway
    box.deleteLater()
    return chosen


def _close_if_open(url: str) -> bool:
    """Close the database at ``url`` when it is the one open, before a restore replaces it.

    The restore runs in a worker thread, and a connection belongs to the thread that opened
    it: the one this (GUI) thread holds is closed here, so nothing is left reading or writing
    the file being replaced.
    """
    opened = database.opened()
    if opened is None or opened.path is None:
        return False
    try:
        path = backups.database_file(url, restoring=True)
    except EsiError:
        return False
    if opened.path.resolve() != path.resolve():
        return False
    database.disconnect()
    return True


def _reopen(url: str) -> None:
    """Open the database again as it was, after a restore that did not happen."""
    from ui.settings import Settings

    settings = Settings()
    with suppress(EsiError):  # the next read says what is wrong
        database.connect(
            url,
            create=False,
            back_up_on_open=False,
            force_rollback_journal=settings.force_rollback_journal(),
            backups_to_keep=settings.backups_to_keep(),
            server_timeout=settings.server_timeout(),
        )


def _restore_off_the_gui_thread(
    parent: QWidget, url: str, chosen: Backup, *, even_if_open: bool
) -> backups.RestoreOutcome:
    """Restore in a worker thread with a progress dialog; the window is painted meanwhile.

    Raises:
        EsiError: the restore was refused or failed (the database is left as it was).
    """
    restored: list[backups.RestoreOutcome] = []
    failed: list[EsiError] = []
    task = run_in_background(
        parent,
        lambda report: backups.restore_backup(
            backup=chosen.path, url=url, progress=report, even_if_open=even_if_open
        ),
        on_success=restored.append,
        on_failure=failed.append,
        on_cancel=lambda: failed.append(
            EsiError("The restore was stopped before it finished; the database is as it was.")
        ),
        label="Restoring the backup…",
        describe=lambda done, total: f"Restoring the backup: page {done} of {total}…",
        title="Restore backup",
        unexpected=(
            "The backup could not be restored because of an unexpected error; the details "
            "were written to the log file."
        ),
    )
    task.wait()
    if failed:
        raise failed[0]
    return restored[0]


def _restore(parent: QWidget, url: str, chosen: Backup) -> bool:
    was_open = _close_if_open(url)
    even_if_open = False
    while True:
        try:
            outcome = _restore_off_the_gui_thread(parent, url, chosen, even_if_open=even_if_open)
            break
        except backups.DatabaseInUse as refusal:
            if not even_if_open and _restore_anyway(parent, refusal):
                even_if_open = True
                continue
            if was_open:
                _reopen(url)
            return False
        except EsiError as exc:
            if was_open:
                _reopen(url)
            QMessageBox.warning(parent, "Cannot restore the backup", str(exc))
            return False
    message = f"Restored the backup taken {outcome.restored.when}"
    if outcome.kept is not None:
        message += f"; the database as it was is kept as {outcome.kept.path.name}"
    if isinstance(parent, QMainWindow):
        parent.statusBar().showMessage(message + ".", 15000)
    return True


def restore_backup_dialog(parent: QWidget, database_url: str) -> bool:
    """File ▸ Restore backup…: choose one of the database's backups, confirm, restore.

    The database is closed when it is the one open.

    Returns:
        True when a backup was restored: the caller reopens the database.
    """
    where = database.describe_url(database_url)
    try:
        rows = [b for b in backups.list_backups(url=database_url) if not b.damaged]
    except EsiError as exc:
        QMessageBox.information(parent, "Restore backup", str(exc))
        return False
    if not rows:
        QMessageBox.information(
            parent,
            "Restore backup",
            f"There is no backup of {where} yet. ESI Desktop makes one each day the database "
            "is opened, before every import and before every upgrade.",
        )
        return False
    dialog = RestoreBackupDialog(where, rows, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        chosen = dialog.chosen()
    finally:
        dialog.deleteLater()
    if chosen is None or not _confirm_restore(parent, where, chosen):
        return False
    return _restore(parent, database_url, chosen)


def recovery_dialog(parent: QWidget, path: Path) -> str | None:
    """Shown when a database file fails its check on opening: restore, or open another.

    Returns:
        The URL the caller should open now (the restored file, or another database the
        person chose), or None to open nothing.
    """
    url = database.file_url(path)
    try:
        newest = backups.newest_backup(url=url)
    except EsiError:
        newest = None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The database is damaged",
        f"The database {path} is damaged, so ESI Desktop has not opened it.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    restore_button: QPushButton | None = None
    if newest is not None:
        box.setInformativeText(
            f"You can restore its newest backup, taken {newest.when} ({newest.why}); the "
            "damaged file is kept in the backups folder. Or open another database."
        )
        restore_button = box.addButton(
            "Restore the newest backup", QMessageBox.ButtonRole.AcceptRole
        )
    else:
        box.setInformativeText(
            "There is no backup of it to restore. Open another database, or ask your IT "
            "support to recover the file from their own backups."
        )
    open_button = box.addButton("Open another database…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(restore_button or open_button)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if newest is not None and clicked is restore_button:
        return url if _restore(parent, url, newest) else None
    if clicked is open_button:
        name, _ = QFileDialog.getOpenFileName(parent, "Open database", "", _DATABASE_FILTER)
        return database.file_url(Path(name)) if name else None
    return None


def network_path_warning(parent: QWidget, path: Path) -> None:
    """Warn, once per opening, that the database file is on a network path."""
    QMessageBox.warning(
        parent,
        "The database is on a network drive",
        f"The database {path} is on a network drive. ESI Desktop uses SQLite's rollback "
        "journal there, which is safer but slower, and a file shared over a network can still "
        "be damaged if two people change it at once: PostgreSQL is the right choice for "
        "sharing a plan (File ▸ Open database… ▸ Server).",
    )
