"""File ▸ Open database…: a SQLite file on this computer, or a shared PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import credentials
from esi_desktop.errors import EsiError
from ui.palette import show_errors_in


class OpenDatabaseDialog(QDialog):
    """Choose a database: a file, or a server with its password (kept in the keyring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Where the database is")

        file_page = QWidget()
        self.path = QLineEdit()
        self.path.setAccessibleName("Database file")
        self.path.setPlaceholderText("e.g. C:\\Board\\esi-desktop.sqlite3")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Browse for a database file")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        file_layout = QVBoxLayout(file_page)
        file_layout.addWidget(QLabel("A database file on this computer or a network drive:"))
        file_layout.addLayout(row)
        note = QLabel(
            "Several secretaries editing one plan should share a PostgreSQL server rather than "
            "a file on a network drive."
        )
        note.setWordWrap(True)
        file_layout.addWidget(note)
        file_layout.addStretch()
        self.tabs.addTab(file_page, "&File")

        server_page = QWidget()
        self.host = QLineEdit("localhost")
        self.host.setAccessibleName("Server")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setAccessibleName("Port")
        self.name = QLineEdit()
        self.name.setAccessibleName("Database name")
        self.user = QLineEdit()
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("Leave empty to use the remembered password")
        self.remember = QCheckBox("Remember the password in the system keyring")
        self.remember.setAccessibleName("Remember the password")
        form = QFormLayout(server_page)
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.name)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow("", self.remember)
        self.tabs.addTab(server_page, "&Server (PostgreSQL)")

        self.message = QLabel()
        self.message.setWordWrap(True)
        show_errors_in(self.message)
        self.message.setAccessibleName("Problem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.url = ""
        self.typed_password = ""
        self.keyring_problem = ""

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Open database",
            "",
            "ESI Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if name:
            self.path.setText(name)

    def accept(self) -> None:
        """Build the URL; a missing field is named and the dialog stays open."""
        if self.tabs.currentIndex() == 0:
            path = self.path.text().strip()
            if not path:
                self.message.setText("Type or browse for the database file.")
                return
            self.url = f"sqlite:///{Path(path)}"
        else:
            missing = [
                label
                for label, field in (
                    ("server", self.host),
                    ("database", self.name),
                    ("user", self.user),
                )
                if not field.text().strip()
            ]
            if missing:
                self.message.setText(f"Fill in the {' and '.join(missing)}.")
                return
            user = quote(self.user.text().strip(), safe="")
            name = quote(self.name.text().strip(), safe="")
            self.url = f"postgresql://{user}@{self.host.text().strip()}:{self.port.value()}/{name}"
            self.typed_password = self.password.text()
            if self.typed_password and self.remember.isChecked():
                try:
                    credentials.remember_password(self.url, self.typed_password)
                except EsiError as exc:  # the window says so; the database still opens
                    self.keyring_problem = str(exc)
            elif self.typed_password:
                # a password typed and not to be remembered: an older remembered one (likely
                # the one that stopped working) is not kept either
                credentials.forget_password(self.url)
        super().accept()
