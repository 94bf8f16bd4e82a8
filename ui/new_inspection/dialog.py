"""File ▸ New inspection…: a rated inspection typed and pasted, previewed, then stored.

The details and the ratings are on the left (scrolling on a small screen), the pasted
recommendations and the preview of their split on the right. Create stores everything through
:func:`esi_desktop.new_inspection.create_rated_inspection`; a refusal is one red sentence in the
dialog, which stays open with everything typed, and the field at fault gets the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.frameworks import Framework, FrameworkKind, frameworks_of_kind
from esi_desktop.new_inspection import NewRecommendation, create_rated_inspection
from esi_desktop.report.pasted import split_recommendations
from ui.date_field import DateField
from ui.follow_up.common import error_label, show_error
from ui.new_inspection.ratings import RatingsBox
from ui.new_inspection.split_table import ADDRESSEE, TEXT, SplitPreview
from ui.screen import fit_to_screen

TITLE = "New inspection"


class NewInspectionDialog(QDialog):
    """The body, framework, date, ratings and pasted recommendations of a new inspection.

    Attributes:
        created_id: the id of the inspection stored, once Create succeeded.
    """

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName("New rated inspection")
        self.created_id: int | None = None
        self._split_text = ""  # the paste as last split into the preview
        self._corrected = False  # whether the preview was corrected since
        self.frameworks = frameworks_of_kind(FrameworkKind.RATED)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow screens
        self.body = QLineEdit()
        self.body.setAccessibleName("Inspected body")
        self.body.setPlaceholderText("For example, Reading Youth Justice Service")
        self._row(form, "Inspected &body:", self.body)
        self.framework = QComboBox()
        self.framework.setAccessibleName("Framework")
        for framework in self.frameworks.values():
            self.framework.addItem(framework.short_title, framework.id)
        self._row(form, "&Framework:", self.framework)
        self.published = DateField(today=today)
        self.published.setAccessibleName("Publication date")
        self._row(form, "P&ublished:", self.published)
        self.report_title = QLineEdit()
        self.report_title.setAccessibleName("Report title")
        self.report_title.setPlaceholderText("Optional: Inspection of <the body> when empty")
        self._row(form, "Report &title:", self.report_title)
        self.deadline_note = QLabel()
        self.deadline_note.setWordWrap(True)
        self.deadline_note.setAccessibleName("The response deadline")
        form.addRow(self.deadline_note)
        self.agreed_due = DateField(allow_empty=True, today=today)
        self.agreed_due.setAccessibleName("Agreed response date")
        self._row(form, "&Agreed response date:", self.agreed_due)
        self.agreed_reason = QLineEdit()
        self.agreed_reason.setAccessibleName("Agreed by: who agreed the response date, and when")
        self.agreed_reason.setPlaceholderText("Who agreed it, and when (needed with the date)")
        self._row(form, "Agreed &by:", self.agreed_reason)

        self.ratings_group = QGroupBox("Ratings of the standards")
        self.ratings_layout = QVBoxLayout(self.ratings_group)
        self.ratings: RatingsBox | None = None

        details = QWidget()
        details_column = QVBoxLayout(details)
        details_column.addLayout(form)
        details_column.addWidget(self.ratings_group)
        details_column.addStretch(1)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setWidget(details)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.paste = QPlainTextEdit()
        self.paste.setAccessibleName("Recommendations, pasted from the report")
        self.paste.setPlaceholderText(
            "Paste the report's recommendations here, with their headings "
            "(\u201cThe Management Board should:\u201d) and numbers or bullets."
        )
        self.paste.setTabChangesFocus(True)
        paste_label = QLabel("&Recommendations, pasted from the report:")
        paste_label.setBuddy(self.paste)
        paste_box = QWidget()
        paste_column = QVBoxLayout(paste_box)
        paste_column.setContentsMargins(0, 0, 0, 0)
        paste_column.addWidget(paste_label)
        paste_column.addWidget(self.paste, 1)
        # the paste changed after the split was corrected: the corrections are kept until the
        # person chooses to split again
        self.stale_note = QLabel(
            "The pasted text has changed since you corrected the split below; the split "
            "keeps your corrections and is what will be stored."
        )
        self.stale_note.setWordWrap(True)
        self.split_again_button = QPushButton("&Split the paste again (drops your corrections)")
        self.split_again_button.clicked.connect(self.split_again)
        stale_row = QHBoxLayout()
        stale_row.addWidget(self.stale_note, 1)
        stale_row.addWidget(self.split_again_button)
        paste_column.addLayout(stale_row)
        self.stale_note.hide()
        self.split_again_button.hide()
        self.preview = SplitPreview()
        preview_box = QGroupBox("As split: correct it before creating the inspection")
        QVBoxLayout(preview_box).addWidget(self.preview)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(paste_box)
        right.addWidget(preview_box)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 2)

        left = QWidget()
        self.left_column = QVBoxLayout(left)
        self.left_column.setContentsMargins(0, 0, 0, 0)
        self.left_column.addWidget(self.details_scroll, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        self.error = error_label("Why the inspection was not created")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "&Create inspection", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.create_inspection)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.framework.currentIndexChanged.connect(self._framework_chosen)
        self.paste.textChanged.connect(self.split_pasted)
        self.preview.edited.connect(self._preview_corrected)
        self._show_framework()
        self.split_pasted()
        fit_to_screen(self, 1340, 740)
        self.splitter.setSizes([self.width() * 9 // 20, self.width() * 11 // 20])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._keep_details_whole()  # the widths are only known once the style is applied

    def _keep_details_whole(self) -> None:
        """Never narrow the details below their width: they do not scroll sideways, so the
        standards' names would be cut off (the splitter takes the room from the paste)."""
        details = self.details_scroll.widget()
        if details is None:
            return
        bar = self.details_scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * self.details_scroll.frameWidth()
        self.details_scroll.setMinimumWidth(details.minimumSizeHint().width() + bar + frame)

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    # ----- showing --------------------------------------------------------------------------

    def current_framework(self) -> Framework:
        """The framework chosen."""
        return self.frameworks[str(self.framework.currentData())]

    def _framework_chosen(self, index: int) -> None:
        """Show the standards of the framework chosen, once the person agrees to drop the
        ratings chosen for the other one (an arrow key on the combo is easily pressed)."""
        assert self.ratings is not None
        chosen = len(self.ratings.ratings())
        if chosen and self.ratings.framework.id != self.framework.itemData(index):
            answer = QMessageBox.question(
                self,
                TITLE,
                f"Change the framework to {self.framework.itemText(index)}? The "
                f"{chosen} ratings chosen for the {self.ratings.framework.short_title} "
                "standards will be cleared.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.framework.blockSignals(True)
                self.framework.setCurrentIndex(self.framework.findData(self.ratings.framework.id))
                self.framework.blockSignals(False)
                return
        self._show_framework()

    def _show_framework(self) -> None:
        framework = self.current_framework()
        if self.ratings is not None:
            for old in (self.ratings.total, self.ratings):
                old.setParent(None)
                old.deleteLater()
        self.ratings = RatingsBox(framework)
        self.ratings_layout.addWidget(self.ratings)
        # the total stays in sight under the scrolling standards
        self.left_column.addWidget(self.ratings.total)
        self._keep_details_whole()
        rules = framework.rated
        months = rules.response_due_months if rules is not None else None
        if months is None:
            self.deadline_note.setText(
                f"The {framework.short_title} framework fixes no response deadline: the Board "
                "should agree the date it will send its response. Give it here, or later on "
                "the inspection record (Inspection ▸ Edit inspection…)."
            )
        else:
            self.deadline_note.setText(
                f"The response is due {months} months after publication; give an agreed date "
                "only if a different one was agreed."
            )

    def split_pasted(self) -> None:
        """Split the pasted text again and show the result, unless the split shown was
        corrected: then say the paste changed and keep the corrections until Split again."""
        text = self.paste.toPlainText()
        if self._corrected:
            stale = text != self._split_text  # an undo back to the text split is not stale
            self.stale_note.setVisible(stale)
            self.split_again_button.setVisible(stale)
            return
        self._split(text)

    def split_again(self) -> None:
        """Split the paste as it stands, dropping the corrections made to the split."""
        self._split(self.paste.toPlainText())
        self.paste.setFocus(Qt.FocusReason.OtherFocusReason)

    def _split(self, text: str) -> None:
        items: list[NewRecommendation] = []
        warnings: list[str] = []
        if text.strip():
            try:
                split = split_recommendations(text)
            except ValidationError as exc:
                warnings = [str(exc)]
            else:
                items = [NewRecommendation(i.text, i.addressee, i.stem) for i in split.items]
                warnings = list(split.warnings)
                unaddressed = [str(n) for n, i in enumerate(items, start=1) if not i.addressee]
                if unaddressed:
                    warnings.insert(0, _unaddressed_warning(unaddressed))
        self.preview.set_items(items, warnings)
        # after the rows are replaced: an edit the preview commits on the way is not kept
        self._split_text, self._corrected = text, False
        self.stale_note.hide()
        self.split_again_button.hide()

    def _preview_corrected(self) -> None:
        self._corrected = True

    # ----- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Close without storing; when something was typed, ask first (Escape is easily hit
        in the middle of typing ratings, and nothing typed here is kept anywhere else)."""
        if self.created_id is None and self.typed_anything():
            answer = QMessageBox.question(
                self,
                TITLE,
                "Close without creating the inspection? What you typed and pasted here will "
                "be lost.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def typed_anything(self) -> bool:
        """Whether a field was filled in, a rating chosen or recommendations pasted."""
        texts = (self.body, self.report_title, self.agreed_reason)
        dates = (self.published, self.agreed_due)
        rated = self.ratings is not None and (
            bool(self.ratings.ratings()) or self.ratings.overall.currentIndex() >= 0
        )
        return (
            any(field.text().strip() for field in texts)
            or any(field.line_edit.text().strip() for field in dates)
            or bool(self.paste.toPlainText().strip())
            or rated
        )

    # ----- creating -------------------------------------------------------------------------

    def create_inspection(self) -> None:
        """Store the inspection; on a refusal say why and put the focus on the field at fault."""
        for field, name in ((self.published, "publication date"), (self.agreed_due, "")):
            if not field.is_valid():
                self._refuse(field.error(), field)
                return
            if name and field.date() is None:
                self._refuse(f"Type the report's {name}, such as 03/12/2024.", field)
                return
        published = self.published.date()
        assert published is not None  # checked above
        assert self.ratings is not None
        try:
            created = create_rated_inspection(
                framework_id=self.current_framework().id,
                body=self.body.text(),
                published=published,
                ratings=self.ratings.ratings(),
                recommendations=self.preview.recommendations(),
                overall=self.ratings.overall_rating(),
                report_title=self.report_title.text(),
                agreed_response_due=self.agreed_due.date(),
                agreed_response_reason=self.agreed_reason.text(),
            )
        except EsiError as exc:
            self._refuse(str(exc), self._field_of(exc))
            return
        show_error(self.error, "")
        self.created_id = created.inspection_id
        self.accept()

    def _field_of(self, error: EsiError) -> QWidget | None:
        """The widget a refusal names in its ``field``, to put the focus on."""
        name = getattr(error, "field", "")
        assert self.ratings is not None
        if name in self.ratings.combos:
            return self.ratings.combos[name]
        widgets: dict[str, QWidget] = {
            "body": self.body,
            "overall": self.ratings.overall,
            "agreed_response_due": self.agreed_due,
            "agreed_response_reason": self.agreed_reason,
        }
        if name == "recommendations":
            has_rows = self.preview.table.rowCount() > 0
            return self.preview.table if has_rows else self.paste
        return widgets.get(name)

    def _refuse(self, sentence: str, field: QWidget | None) -> None:
        show_error(self.error, sentence)
        if field is None:
            return
        details = self.details_scroll.widget()
        if details is not None and details.isAncestorOf(field):
            self.details_scroll.ensureWidgetVisible(field)
        if field is self.preview.table:
            self._select_empty_row()
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_empty_row(self) -> None:
        """Go to the first cell left empty: a text, else an addressee (as the refusal names)."""
        table = self.preview.table
        for row in range(table.rowCount()):
            for column in (TEXT, ADDRESSEE):
                item = table.item(row, column)
                if item is None or not item.text().strip():
                    table.setCurrentCell(row, column)
                    return


def _unaddressed_warning(numbers: list[str]) -> str:
    """The preview's sentence about recommendations pasted before any addressee heading."""
    if len(numbers) == 1:
        which = f"Recommendation {numbers[0]} comes"
    else:
        which = f"Recommendations {', '.join(numbers[:-1])} and {numbers[-1]} come"
    return (
        f"{which} before any heading saying who the report addresses it to (such as "
        "\u201cThe Management Board should:\u201d): type the addressee in the Addressed to "
        "column, or paste the heading above."
    )
