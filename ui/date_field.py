"""The one date field of the window: type a date the British way, see it in words, or pick it.

Every place a person types a date uses :class:`DateField` (a form, a dialog, a cell of a
table through :class:`ui.delegates.DateDelegate`). The typed text is read whole by
:func:`esi_desktop.dates.parse_date` on every keystroke, and the field says underneath what it
understood ("Tuesday 15 March 2005") or, in red, why it cannot take the text. It never
changes what was typed and never gives a date other than the one it shows: while the text is
not a date, :meth:`DateField.date` is ``None``.

QDateEdit is not used anywhere: it edits section by section, so "15/03/2005" typed in one go
became 15 December of the shown year (issue 9).
"""

# Over 500 lines: one widget; the field, its words, its calendar and its keys belong together.

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QFocusEvent,
    QHideEvent,
    QIcon,
    QKeyEvent,
    QMoveEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.dates import parse_date
from esi_desktop.errors import ValidationError
from esi_desktop.wording import date_in_words
from ui.palette import legible

#: ``datetime.date`` by a name the class body cannot shadow (DateField.date is a method).
Day = date

#: The colour of a refusal (the house's error red, readable on white).
ERROR_COLOUR = "#a94442"

#: A rule beyond "is a date" (before publication, in the future): raises ValidationError.
DateCheck = Callable[[date], None]

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TAB = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _calendar_icon(widget: QWidget) -> QIcon:
    """A small calendar drawn in the text colour, sized to the font and sharp at any scale."""
    side = widget.fontMetrics().height()
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    ink = widget.palette().buttonText().color()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(ink, max(1.0, side / 14))
    painter.setPen(pen)
    page = QRectF(side * 0.12, side * 0.2, side * 0.76, side * 0.68)
    painter.drawRoundedRect(page, side * 0.08, side * 0.08)
    for ring in (0.32, 0.68):
        x = side * ring
        painter.drawLine(QPoint(round(x), round(side * 0.1)), QPoint(round(x), round(side * 0.28)))
    # filled with the brush, not fillRect: its colour overload makes PySide build QGradient's
    # 169 presets on first use, a few milliseconds of start-up (issue 13)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawRect(QRectF(page.left(), page.top(), page.width(), side * 0.16))
    cell = page.width() / 4
    for row in range(2):
        for column in range(3):
            painter.drawRect(
                QRectF(
                    page.left() + cell * (column + 0.5),
                    page.top() + side * 0.26 + row * side * 0.19,
                    cell * 0.6,
                    side * 0.1,
                )
            )
    painter.end()
    return QIcon(pixmap)


class _CalendarPopup(QFrame):
    """The calendar that drops down under the field; a pick fills the field."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName("Calendar")
        layout.addWidget(self.calendar)
        # a click on a day, or Enter on it, is the choice; moving around the month is not
        self.calendar.clicked.connect(self._choose)
        self.calendar.activated.connect(self._choose)

    @Slot(QDate)
    def _choose(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)


class _Words(QLabel):
    """A wrapping label that asks its layout for the height its lines need at its width.

    A layout sizes a wrapping label for one width; a refusal in two lines would otherwise
    overlap what is under it, or be cut off in a dialog that does not grow.
    """

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        if self.isWindow():
            return
        needed = self.heightForWidth(max(self.width(), self.minimumWidth()))
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class DateField(QWidget):
    """A typed date, the date understood in words, and a calendar to pick from.

    The typed text is read day first (see :func:`esi_desktop.dates.parse_date`). Under the
    text the field shows the date it understood, or in red the sentence saying why it cannot
    take the text; :meth:`date` is the date shown, or ``None`` while there is none.

    In compact form (an editor in a table cell) there is no room underneath: the words show
    in a small box under the cell while editing, and as the field's tool tip.

    Keys: Alt+Down or F4 opens the calendar; Enter and leaving the field finish the edit.

    Signals:
        dateChanged: the date understood changed (a ``datetime.date``, or ``None`` while the
            text is not a date).
        editingFinished: Enter was pressed, a day was picked from the calendar, or the focus
            left the field. Callers check :meth:`is_valid` before saving.
        picked: a day was picked from the calendar (a ``datetime.date``).
    """

    dateChanged = Signal(object)
    editingFinished = Signal()
    picked = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        allow_empty: bool = False,
        compact: bool = False,
        today: Callable[[], date] = date.today,
        check: DateCheck | None = None,
    ) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self._compact = compact
        self._today = today
        self._check = check
        self._name = ""
        self._date: date | None = None
        self._error = ""
        self._popup: _CalendarPopup | None = None

        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("dd/mm/yyyy")
        self.line_edit.setClearButtonEnabled(False)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setIcon(_calendar_icon(self))
        self.calendar_button.setToolTip("Pick the date from a calendar (Alt+Down)")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.setAutoRaise(compact)
        self.calendar_button.clicked.connect(self.show_calendar)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0 if compact else max(2, self.fontMetrics().averageCharWidth() // 2))
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.calendar_button)
        if compact:
            self.setLayout(row)
            # over the cells it is wider than, the field hides what is under it
            self.setAutoFillBackground(True)
            self.setBackgroundRole(QPalette.ColorRole.Base)
            # a tool-tip window under the cell: the cell has no room for the words
            self.hint = QLabel(self, Qt.WindowType.ToolTip)
            self.hint.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.hint.setMargin(max(2, self.fontMetrics().averageCharWidth() // 2))
            self.hint.setFrameShape(QFrame.Shape.Box)
        else:
            column = QVBoxLayout(self)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(max(1, self.fontMetrics().height() // 8))
            column.addLayout(row)
            self.hint = _Words(self)
            column.addWidget(self.hint)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.line_edit)
        self.line_edit.installEventFilter(self)
        self.line_edit.textChanged.connect(self._read)
        self._fit()
        self._read()

    # ----- the value ----------------------------------------------------------------------

    def date(self) -> date | None:
        """The date shown in words, or ``None`` while the text is empty or not a date."""
        return self._date

    def setDate(self, day: Day | None) -> None:
        """Show a date as ``dd/mm/yyyy`` (or empty the field)."""
        self.line_edit.setText("" if day is None else f"{day:%d/%m/%Y}")

    def text(self) -> str:
        """What is typed in the field."""
        return self.line_edit.text()

    def setText(self, text: str) -> None:
        """Put text in the field as if typed (it is read like typing)."""
        self.line_edit.setText(text)

    def is_valid(self) -> bool:
        """Whether the text can be taken: a date passing the field's check, or empty if allowed."""
        return not self._error

    def error(self) -> str:
        """The sentence saying why the text cannot be taken, or an empty string."""
        return self._error

    def hint_text(self) -> str:
        """What the field says under the text: the date in words or the refusal."""
        return self.hint.text()

    def select_all(self) -> None:
        """Select the text, so that typing replaces it."""
        self.line_edit.selectAll()

    def setAccessibleName(self, name: str) -> None:
        """Name the field and its parts for screen readers."""
        self._name = name
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)
        self.calendar_button.setAccessibleName(f"{name}: pick from a calendar")
        if self._popup is not None:
            self._popup.calendar.setAccessibleName(f"{name}: calendar")
        self._show_hint()

    @Slot()
    def _read(self) -> None:
        """Read the text again; show what it means; say when the date changed."""
        before = self._date
        text = self.line_edit.text()
        self._date, self._error = None, ""
        if text.strip() or not self._allow_empty:
            try:
                self._date = parse_date(text, today=self._today())
                if self._check is not None:
                    self._check(self._date)
            except ValidationError as exc:
                self._date, self._error = None, str(exc)
        self._show_hint()
        if self._date != before:
            self.dateChanged.emit(self._date)

    def _show_hint(self) -> None:
        if self._error:
            words = self._error
        elif self._date is not None:
            words = date_in_words(self._date)
        else:
            words = "No date"
        self.hint.setText(words)
        self.hint.setProperty("refused", bool(self._error))
        self.hint.setStyleSheet(self._hint_style())
        subject = self._name or "Date"
        spoken = f"{subject}: {words}" if self._error else f"{subject} understood as {words}"
        self.hint.setAccessibleName(spoken)
        self.line_edit.setAccessibleDescription(words)
        if self._compact:
            # the words in the cell's tool tip too, since the box under it goes with the edit
            self.setToolTip(words)
            self.line_edit.setToolTip(words)
            self._place_hint()
        elif self.isVisible():
            QTimer.singleShot(0, self, self._grow_dialog)

    # ----- looks --------------------------------------------------------------------------

    def _hint_style(self) -> str:
        palette = QToolTip.palette() if self._compact else self.palette()
        if self._error:
            back = palette.color(
                QPalette.ColorRole.ToolTipBase if self._compact else QPalette.ColorRole.Window
            )
            style = f"color: {legible(ERROR_COLOUR, back).name()}; font-weight: bold;"
        elif self._date is None:
            style = f"color: {palette.color(QPalette.ColorRole.PlaceholderText).name()};"
        elif self._compact:
            style = f"color: {palette.color(QPalette.ColorRole.ToolTipText).name()};"
        else:
            style = ""
        if self._compact:
            base = palette.color(QPalette.ColorRole.ToolTipBase).name()
            edge = palette.color(QPalette.ColorRole.Mid).name()
            style += f" background-color: {base}; border: 1px solid {edge};"
        return f"QLabel {{ {style} }}" if style else ""

    def _fit(self) -> None:
        """Widths from the font, so the field reads the same at any scaling."""
        metrics = self.line_edit.fontMetrics()
        sample = "30/09/2005" if self._compact else "30 September 2005"
        self.line_edit.setMinimumWidth(
            metrics.horizontalAdvance(sample) + 2 * metrics.horizontalAdvance("M")
        )
        if not self._compact:
            # room for the longest date in words ("Wednesday 28 September 2005") on one line
            # and a refusal in a few; no more, so a row of fields still fits a small screen
            self.hint.setMinimumWidth(metrics.averageCharWidth() * 28)
        self.calendar_button.setIcon(_calendar_icon(self))
        side = self.fontMetrics().height()
        self.calendar_button.setIconSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:
        font_or_style = (QEvent.Type.FontChange, QEvent.Type.StyleChange)
        if event.type() in font_or_style and hasattr(self, "hint"):
            self._fit()
        elif event.type() == QEvent.Type.PaletteChange and hasattr(self, "hint"):
            # the words' colours were worked out for the theme they were shown on
            self.hint.setStyleSheet(self._hint_style())
        super().changeEvent(event)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._place_hint()  # a cell's words follow the cell when the table scrolls

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_hint()

    def _place_hint(self) -> None:
        """Show the compact form's words under the cell while the field is being edited."""
        if not self._compact:
            return
        editing = self.isVisible() and self.line_edit.hasFocus()
        if not editing:
            self.hint.hide()
            return
        # one line when it fits, else lines of a comfortable length
        metrics = self.hint.fontMetrics()
        frame = 2 * (self.hint.margin() + self.hint.frameWidth()) + metrics.averageCharWidth()
        width = min(metrics.horizontalAdvance(self.hint.text()), metrics.averageCharWidth() * 60)
        width += frame
        self.hint.resize(width, self.hint.heightForWidth(width))
        where = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        where.setX(max(screen.left(), min(where.x(), screen.right() - width)))
        self.hint.move(where)
        self.hint.show()

    @Slot()
    def _grow_dialog(self) -> None:
        """Make a dialog tall enough for a refusal in several lines (it does not grow itself).

        A window's layout keeps it at least as big as its minimum size, but wrapped text
        has no minimum height of its own: without this the other labels would be squeezed.
        """
        window = self.window()
        layout = window.layout()
        if not isinstance(window, QDialog) or layout is None:
            return
        layout.activate()
        if layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(window.width())
        else:
            needed = layout.totalMinimumSize().height()
        if needed > window.height():
            window.resize(window.width(), needed)

    def hideEvent(self, event: QHideEvent) -> None:
        if self._compact:
            self.hint.hide()
        super().hideEvent(event)

    # ----- the calendar -------------------------------------------------------------------

    @Slot()
    def show_calendar(self) -> None:
        """Drop the calendar down under the field, on the date shown (or today)."""
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.calendar.setAccessibleName(f"{self._name or 'Date'}: calendar")
            self._popup.picked.connect(self._picked)
        calendar = self._popup.calendar
        calendar.setSelectedDate(_qdate(self._date or self._today()))
        self._popup.adjustSize()
        self._popup.move(self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height())))
        self._popup.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    @Slot(QDate)
    def _picked(self, day: QDate) -> None:
        picked = date(day.year(), day.month(), day.day())
        self.setDate(picked)
        self.line_edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.select_all()
        self.picked.emit(picked)
        self.editingFinished.emit()

    # ----- keys and focus -----------------------------------------------------------------

    def _holds(self, widget: QWidget | None) -> bool:
        """Whether a widget is part of the field (its calendar included)."""
        while widget is not None:
            if widget is self:
                return True
            widget = widget.parentWidget()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line_edit:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._line_key(event)
            if event.type() == QEvent.Type.FocusIn:
                self._place_hint()
            elif event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
                self._place_hint()
                if not self._holds(QApplication.focusWidget()):
                    self._left(event.reason())
        return super().eventFilter(watched, event)

    def _line_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and alt):
            self.show_calendar()
            return True
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if key in _TAB and plain:
            # the field is one stop: Tab leaves it, and an item view's delegate sees it
            copy = QKeyEvent(event.type(), key, event.modifiers(), event.text())
            QApplication.sendEvent(self, copy)
            return True
        return False

    def _left(self, reason: Qt.FocusReason) -> None:
        """The focus left the field: the edit is finished; item views close their editor.

        Not when the whole window lost the focus (a look at another program, Alt+Tab): the
        person comes back to the field as they left it, half-typed date and all.
        """
        if reason == Qt.FocusReason.ActiveWindowFocusReason:
            return
        self.editingFinished.emit()
        # an item view's delegate watches the editor (this widget), not the line inside it
        QApplication.sendEvent(self, QFocusEvent(QEvent.Type.FocusOut, reason))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER:
            # the line edit passes Enter on: the edit is finished (dialogs still see it)
            self.editingFinished.emit()
            event.ignore()
            return
        # typing sent to the field itself goes to its line; a key the line passed on (it did
        # not want it) is refused again and goes on to the parent
        self.line_edit.event(event)
