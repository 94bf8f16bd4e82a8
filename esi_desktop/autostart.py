"""Starting ESI Desktop when the person signs in: per user, with no administrator rights.

On Windows it is the value "ESI Desktop" under ``HKCU\\Software\\Microsoft\\Windows\\
CurrentVersion\\Run``, holding the quoted command that starts the program; on Linux (and the
other desktops that follow the XDG rules) an autostart entry
``$XDG_CONFIG_HOME/autostart/esi-desktop.desktop``. macOS is not offered it: its Login Items
are set in System Settings.

Everything outside the program comes in through :class:`Autostart`'s fields (the system's
name, the ``winreg`` module, the configuration folder, the command), so the tests can play
Windows on Linux with a fake registry; the module's functions use the real ones.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esi_desktop.errors import EsiError
from esi_desktop.files import OutputKind, write_atomically

#: The Run key's value and the desktop entry's name.
APP_NAME = "ESI Desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
DESKTOP_FILE = "esi-desktop.desktop"
DESKTOP_ENTRY = OutputKind("a desktop entry", ".desktop", "another program", frozenset({"text"}))
#: Said where starting with the computer is not offered.
NOT_ON_MACOS = (
    "Starting ESI Desktop when you sign in is not offered on macOS: add it to the Login Items "
    "in System Settings ▸ General instead."
)
#: Characters that make the Desktop Entry specification quote an argument.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: The main script, beside this package.
MAIN_SCRIPT = Path(__file__).resolve().parent.parent / "main.py"


def startup_command(
    *, executable: str | None = None, frozen: bool | None = None, script: Path | None = None
) -> list[str]:
    """The command that starts the program: the frozen executable alone, or the Python
    interpreter and ``main.py`` (on Windows ``pythonw.exe`` when it is there, so no console
    window opens at sign-in)."""
    executable = executable or sys.executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if frozen:
        # the windowed program beside the console one the commands run from: started at
        # sign-in, the console one would open a console window as well
        for name in ("ESI Desktop.exe", "ESI Desktop"):
            windowed = Path(executable).with_name(name)
            if windowed.is_file():
                return [str(windowed)]
        return [executable]
    windowless = Path(executable).with_name("pythonw.exe")
    if Path(executable).name.lower() == "python.exe" and windowless.exists():
        executable = str(windowless)
    return [executable, str(script or MAIN_SCRIPT)]


def windows_command_line(command: Sequence[str]) -> str:
    """The command for the Run key: every part in double quotes (a Windows path never holds
    one), so a path with spaces starts the right program."""
    return " ".join(f'"{part}"' for part in command)


def desktop_exec(command: Sequence[str]) -> str:
    """The command as a desktop entry's ``Exec`` value, quoted as the Desktop Entry
    specification says: an argument with a reserved character in double quotes, with ``"``,
    `````, ``$`` and ``\\`` escaped by a backslash; then every backslash doubled (the string
    escape of the file) and ``%`` written ``%%`` (not a field code)."""
    parts = []
    for argument in command:
        if any(char in _RESERVED for char in argument) or not argument:
            escaped = "".join(f"\\{c}" if c in '"`$\\' else c for c in argument)
            argument = f'"{escaped}"'
        # the file's string escapes: a backslash doubled, a line break as \n
        escaped = argument.replace("\\", "\\\\").replace("\n", "\\n")
        parts.append(escaped.replace("%", "%%"))
    return " ".join(parts)


def _config_home() -> Path:
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    # the specification ignores a relative path
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".config"


@dataclass
class Autostart:
    """Starting with the computer on one system.

    Attributes:
        system: ``platform.system()``'s name ("Windows", "Linux", "Darwin").
        registry: the ``winreg`` module (loaded on Windows when None).
        config_home: the XDG configuration folder (``$XDG_CONFIG_HOME`` or ``~/.config``).
        command: the command that starts the program (:func:`startup_command` when None).
    """

    system: str = field(default_factory=platform.system)
    registry: Any = None
    config_home: Path | None = None
    command: Sequence[str] | None = None

    @property
    def supported(self) -> bool:
        """Whether starting with the computer is offered here (not on macOS)."""
        return self.system != "Darwin"

    @property
    def desktop_file(self) -> Path:
        """Where the XDG autostart entry is."""
        return (self.config_home or _config_home()) / "autostart" / DESKTOP_FILE

    def _command(self) -> list[str]:
        return list(self.command) if self.command is not None else startup_command()

    def _winreg(self) -> Any:
        if self.registry is None:
            import winreg  # type: ignore[import-not-found,unused-ignore]  # Windows only

            self.registry = winreg
        return self.registry

    def is_enabled(self) -> bool:
        """Whether the program starts when the person signs in."""
        if not self.supported:
            return False
        if self.system == "Windows":
            return self._run_value() is not None
        try:
            text = self.desktop_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        lines = {line.strip().replace(" ", "") for line in text.splitlines()}
        return not ({"Hidden=true", "X-GNOME-Autostart-enabled=false"} & lines)

    def enable(self) -> None:
        """Start the program when the person signs in (with the command of this copy).

        Raises:
            EsiError: not offered on this system, or the system refused the change.
        """
        self._check_supported()
        command = self._command()
        if self.system == "Windows":
            self._set_run_value(windows_command_line(command))
            return
        entry = "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                "Comment=The Board's action plan answering the inspection report",
                f"Exec={desktop_exec(command)}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
        path = self.desktop_file
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EsiError(
                f"Could not set ESI Desktop to start when you sign in: the folder "
                f"{path.parent} cannot be made ({exc.strerror or exc})."
            ) from None
        write_atomically(path, entry.encode("utf-8"), kind=DESKTOP_ENTRY, force=True)

    def disable(self) -> None:
        """Stop starting the program when the person signs in (nothing to do if it does not).

        Raises:
            EsiError: the system refused the change.
        """
        if not self.supported:
            return
        if self.system == "Windows":
            self._delete_run_value()
            return
        try:
            self.desktop_file.unlink(missing_ok=True)
        except OSError as exc:
            raise EsiError(
                f"Could not stop ESI Desktop starting when you sign in: {self.desktop_file} "
                f"cannot be removed ({exc.strerror or exc}). Remove it by hand."
            ) from None

    def refresh(self) -> bool:
        """Point an enabled entry at this copy of the program when it names another place.

        The program may have been moved or reinstalled elsewhere since the entry was written;
        the entry would then start nothing (or an old copy). A disabled entry stays disabled.

        Returns:
            True when the entry was rewritten.

        Raises:
            EsiError: the system refused the change.
        """
        if not self.is_enabled():
            return False
        command = self._command()
        if self.system == "Windows":
            if self._run_value() == windows_command_line(command):
                return False
        else:
            try:
                text = self.desktop_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return False
            if f"Exec={desktop_exec(command)}" in text.splitlines():
                return False
        self.enable()
        return True

    def _check_supported(self) -> None:
        if not self.supported:
            raise EsiError(NOT_ON_MACOS)

    # ----- the Run key --------------------------------------------------------------------

    def _run_value(self) -> str | None:
        reg = self._winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
                value, _kind = reg.QueryValueEx(key, APP_NAME)
        except OSError:  # no key, or no value: not set
            return None
        return str(value)

    def _set_run_value(self, command_line: str) -> None:
        reg = self._winreg()
        try:
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.SetValueEx(key, APP_NAME, 0, reg.REG_SZ, command_line)
        except OSError as exc:
            raise EsiError(
                "Could not set ESI Desktop to start when you sign in: Windows refused to change "
                f"your start-up programs ({exc.strerror or exc}). Your organisation may manage "
                "them; ask your IT team."
            ) from None

    def _delete_run_value(self) -> None:
        reg = self._winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, APP_NAME)
        except FileNotFoundError:
            return  # not set: nothing to stop
        except OSError as exc:
            raise EsiError(
                "Could not stop ESI Desktop starting when you sign in: Windows refused to "
                f"change your start-up programs ({exc.strerror or exc}). Remove it in Task "
                "Manager ▸ Startup."
            ) from None


def supported() -> bool:
    """Whether starting with the computer is offered on this system."""
    return Autostart().supported


def is_enabled() -> bool:
    """Whether the program starts when the person signs in."""
    return Autostart().is_enabled()


def enable() -> None:
    """Start the program when the person signs in.

    Raises:
        EsiError: not offered on this system, or the system refused the change.
    """
    Autostart().enable()


def refresh() -> bool:
    """Point an enabled entry at this copy of the program (:meth:`Autostart.refresh`).

    Raises:
        EsiError: the system refused the change.
    """
    return Autostart().refresh()


def disable() -> None:
    """Stop starting the program when the person signs in.

    Raises:
        EsiError: the system refused the change.
    """
    Autostart().disable()
