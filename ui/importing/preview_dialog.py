"""The preview of an import: what the report holds, for the person to confirm before storing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.frameworks import get_framework
from esi_desktop.report.importer import ImportPreview
from esi_desktop.wording import month_name
from ui.screen import fit_to_screen


class ImportPreviewDialog(QDialog):
    """What the report holds, for the user to confirm before anything is stored."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        parsed = preview.parsed
        self.setWindowTitle("Import inspection report")
        self.setAccessibleName("Import preview")
        layout = QVBoxLayout(self)

        form = QFormLayout()
        form.addRow("Report:", _wrapped(parsed.title))
        form.addRow("Area:", QLabel(parsed.area))
        form.addRow(
            "Published:", QLabel(f"{month_name(parsed.published_month)} {parsed.published_year}")
        )
        counts = preview.counts()
        form.addRow(
            "Contents:",
            _wrapped(
                f"{counts['recommendations']} recommendations, {counts['criteria']} criterion "
                f"results, {counts['findings']} findings, {counts['national targets']} "
                "national targets"
            ),
        )
        layout.addLayout(form)

        layout.addWidget(QLabel("<b>Scoring summary as printed in the report</b>"))
        self.scores = QTableWidget(0, 3)
        self.scores.setAccessibleName("Published scores")
        self.scores.setHorizontalHeaderLabels(["Framework", "Section", "Score"])
        self.scores.verticalHeader().setVisible(False)
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for framework_id, figures in parsed.frameworks.items():
            framework = get_framework(framework_id)
            lines = [
                (framework.section(code).title, f"{percent}%")
                for code, percent in figures.published_sections.items()
            ]
            if figures.published_overall is not None:
                lines.append((framework.overall_title, f"{figures.published_overall}%"))
            for section, figure in lines:
                row = self.scores.rowCount()
                self.scores.insertRow(row)
                for column, text in enumerate((framework.short_title, section, figure)):
                    self.scores.setItem(row, column, QTableWidgetItem(text))
        self.scores.resizeColumnsToContents()
        self.scores.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.scores)

        layout.addWidget(QLabel("<b>Recommendations</b>"))
        # each list is quoted in the documents with the words that introduce it, as printed
        self.stems = _wrapped(_stems_line(preview))
        self.stems.setTextFormat(Qt.TextFormat.PlainText)
        self.stems.setAccessibleName("Recommendation stems")
        layout.addWidget(self.stems)
        self.recommendations = QListWidget()
        self.recommendations.setAccessibleName("Recommendations found")
        self.recommendations.setWordWrap(True)
        for recommendation in parsed.recommendations:
            self.recommendations.addItem(f"{recommendation.ref}. {recommendation.text}")
        layout.addWidget(self.recommendations, 2)

        self.warnings = QPlainTextEdit()
        self.warnings.setReadOnly(True)
        self.warnings.setAccessibleName("Warnings")
        if preview.warnings:
            layout.addWidget(QLabel("<b>Warnings</b> — check these against the report"))
            self.warnings.setPlainText("\n".join(preview.warnings))
            self.warnings.setMaximumHeight(110)
            layout.addWidget(self.warnings)
        else:
            layout.addWidget(
                QLabel("Every published score agrees with the scores computed from its criteria.")
            )
        if preview.existing_inspection_id is not None:
            layout.addWidget(
                _wrapped(
                    "<b>This report is already in the database.</b> Importing refreshes its text "
                    "and results; the Board's responses, actions and milestones are kept."
                )
            )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        verb = "Refresh" if preview.existing_inspection_id is not None else "Import"
        self.import_button = buttons.addButton(verb, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 640)


def _stems_line(preview: ImportPreview) -> str:
    """'Introduced by "The Probation Board should ensure that:" (1 to 10), ...'."""
    groups: list[tuple[str, list[str]]] = []
    for recommendation in preview.parsed.recommendations:
        if groups and groups[-1][0] == recommendation.stem:
            groups[-1][1].append(recommendation.ref)
        else:
            groups.append((recommendation.stem, [recommendation.ref]))
    parts = []
    for stem, refs in groups:
        span = refs[0] if len(refs) == 1 else f"{refs[0]} to {refs[-1]}"
        parts.append(f'"{stem}" ({span})' if stem else f"no introducing words ({span})")
    return "Introduced by " + ", ".join(parts) if parts else ""


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
