"""The two pages the window shows before there is an inspection to work on.

:class:`NoDatabasePage` says why no database is open and offers to open one;
:class:`WelcomePage` greets an empty database and offers the sample, an import or a new rated
inspection. The window connects their buttons to its menu actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def _button_row(layout: QVBoxLayout, *buttons: QPushButton) -> None:
    row = QHBoxLayout()
    row.addStretch()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    layout.addLayout(row)
    layout.addStretch()


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.removesuffix("…"))
    return button


class NoDatabasePage(QWidget):
    """No database is open: the reason (a damaged file, a lost server) and "Open database…"."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.label = QLabel("No database is open.")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self.open_button = _button("Open database…")
        _button_row(layout, self.open_button)


class WelcomePage(QWidget):
    """An empty database: import the area's report, create a rated inspection (File ▸ New
    inspection…), or load the sample to look around."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch()
        title = QLabel("<h2>Welcome to ESI Desktop</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            "This database holds no inspection yet.<br>Import your area's inspection report "
            "(text or PDF), create an inspection whose report rates standards (type its "
            "ratings and paste its recommendations), or load the sample inspection — HM "
            "Inspectorate of Probation's January 2005 report on Gloucestershire — to look "
            "around first."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # a readable line length, whatever the window's width
        text.setFixedWidth(self.fontMetrics().averageCharWidth() * 72)
        text.setMinimumHeight(text.heightForWidth(text.width()))
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.load_sample_button = _button("Load the sample inspection")
        self.import_button = _button("Import a report…")
        self.new_inspection_button = _button("New inspection…")
        _button_row(layout, self.load_sample_button, self.import_button, self.new_inspection_button)
