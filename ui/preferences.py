"""Edit ▸ Preferences…: one editor per preference, built from the declarations.

The preferences are declared once in :mod:`esi_desktop.settings` (key, type, default, label,
tooltip, bounds); :class:`PreferencesDialog` makes a spin box for a whole number, a spin box
in seconds for a float and a check box for a switch, and saves through :mod:`ui.settings` on
OK. The reminder period applies at once, the database settings the next time one is opened.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import autostart
from esi_desktop.errors import EsiError
from esi_desktop.settings import PREFERENCES, Setting
from ui.palette import show_errors_in
from ui.settings import Settings

Preference = Setting[int] | Setting[float] | Setting[bool]

AUTOSTART_LABEL = "Start ESI Desktop when I sign in"
AUTOSTART_TIP = (
    "Open ESI Desktop when you sign in to this computer, so the due and overdue items are "
    "shown to you each morning. Only for you: no administrator rights are needed."
)
Editor = QSpinBox | QDoubleSpinBox | QCheckBox

_BY_KEY = {setting.key: setting for setting in PREFERENCES}

#: Said in the dialog: the database settings never change under an open database.
APPLIES = (
    "The reminder period applies at once; the database settings the next time a database is opened."
)


class _SpinBox(QSpinBox):
    """A spin box that says when it was stepped (arrows, Page Up/Down, the wheel)."""

    stepped = Signal()

    def stepBy(self, steps: int) -> None:
        super().stepBy(steps)
        self.stepped.emit()


class _DoubleSpinBox(QDoubleSpinBox):
    """A spin box for seconds that says when it was stepped."""

    stepped = Signal()

    def stepBy(self, steps: int) -> None:
        super().stepBy(steps)
        self.stepped.emit()


class PreferencesDialog(QDialog):
    """The preferences, each with its editor; saved on OK (the database settings apply when a
    database is next opened).

    Attributes:
        editors: each preference's editor, by its settings key.
        problem: says why a value typed was changed or refused (empty when none was).
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self._settings = settings
        self._typed: dict[str, str] = {}  # what was typed since the last check, by key
        self.editors: dict[str, Editor] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for setting in PREFERENCES:
            editor = self._editor(setting)
            editor.setToolTip(setting.tooltip)
            editor.setAccessibleName(setting.label)
            editor.setAccessibleDescription(setting.tooltip)
            self.editors[setting.key] = editor
            if isinstance(editor, QCheckBox):
                form.addRow("", editor)
            else:
                label = QLabel(f"{setting.label}:")
                label.setToolTip(setting.tooltip)
                label.setBuddy(editor)
                form.addRow(label, editor)
        # starting with the computer is the system's state, not a stored preference
        self.autostart_box = QCheckBox(AUTOSTART_LABEL)
        self.autostart_box.setAccessibleName(AUTOSTART_LABEL)
        if autostart.supported():
            self.autostart_box.setChecked(autostart.is_enabled())
            self.autostart_box.setToolTip(AUTOSTART_TIP)
        else:
            self.autostart_box.setEnabled(False)
            self.autostart_box.setToolTip(autostart.NOT_ON_MACOS)
        form.addRow("", self.autostart_box)
        layout.addLayout(form)
        note = QLabel(APPLIES)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        show_errors_in(self.problem)
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 64, 0)

    def _editor(self, setting: Preference) -> Editor:
        """The editor a preference's type calls for, showing its value now."""
        if setting.type is bool:
            box = QCheckBox(setting.label)
            box.setChecked(bool(self._settings.any_value(setting)))
            return box
        spin: _SpinBox | _DoubleSpinBox
        if setting.type is int:
            spin = _SpinBox()
            spin.setRange(int(setting.minimum or 0), int(setting.maximum or 2**31 - 1))
            spin.setValue(int(self._settings.any_value(setting)))
        else:
            spin = _DoubleSpinBox()
            spin.setDecimals(1)
            spin.setRange(float(setting.minimum or 0), float(setting.maximum or 1e9))
            spin.setValue(float(self._settings.any_value(setting)))
        if setting.unit:
            spin.setSuffix(f" {setting.unit}")
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        line = spin.lineEdit()
        key = setting.key
        line.textEdited.connect(lambda _text, k=key, s=spin: self._note_typed(k, s))
        # stepped with the arrows or the wheel after typing: what is shown counts, not the text
        spin.stepped.connect(lambda k=key: self._typed.pop(k, None))
        return spin

    def _note_typed(self, key: str, spin: QSpinBox | QDoubleSpinBox) -> None:
        self._typed[key] = spin.cleanText()

    def _check_typed(self) -> bool:
        """Check what was typed against the declarations; say what was changed or refused.

        Returns:
            True when every value typed is kept as it was typed.
        """
        problems: list[str] = []
        for setting in PREFERENCES:
            typed = self._typed.pop(setting.key, None)
            editor = self.editors[setting.key]
            if typed is None or isinstance(editor, QCheckBox):
                continue
            kept, problem = setting.check(typed)
            if problem:
                problems.append(problem)
                if isinstance(editor, QSpinBox):
                    editor.setValue(int(kept))
                else:
                    editor.setValue(float(kept))
        self.problem.setText(" ".join(problems))
        return not problems

    def values(self) -> dict[str, int | float | bool]:
        """The values shown, by settings key."""
        shown: dict[str, int | float | bool] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                shown[key] = editor.isChecked()
            else:
                editor.interpretText()
                shown[key] = editor.value()
        return shown

    def _apply_autostart(self) -> bool:
        """Start with the computer, or stop, as the box says; False (and why) if refused."""
        box = self.autostart_box
        if not box.isEnabled() or box.isChecked() == autostart.is_enabled():
            return True
        try:
            if box.isChecked():
                autostart.enable()
            else:
                autostart.disable()
        except EsiError as exc:
            self.problem.setText(str(exc))
            return False
        return True

    def accept(self) -> None:
        """Save the values, unless one typed was out of bounds or not a number: then say so
        (the editor shows the value that would be kept) and stay open."""
        if not self._check_typed() or not self._apply_autostart():
            return
        for key, value in self.values().items():
            self._settings.set_value(_BY_KEY[key], value)
        self._settings.sync()
        super().accept()
