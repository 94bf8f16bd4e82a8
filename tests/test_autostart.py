"""Starting with the computer: the Run key on a simulated Windows (a fake ``winreg``), the XDG
autostart entry on Linux (in the test's own configuration folder), not offered on macOS."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path
from typing import Any

import pytest

from esi_desktop import autostart
from esi_desktop.autostart import (
    APP_NAME,
    RUN_KEY,
    Autostart,
    desktop_exec,
    startup_command,
    windows_command_line,
)
from esi_desktop.errors import EsiError

WINDOWS_EXE = r"C:\Users\Zoë Brontë\AppData\Local\Programs\ESI Desktop\ESI Desktop.exe"


class FakeKey:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The part of ``winreg`` the program uses, over a dict of keys under HKEY_CURRENT_USER."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1

    def __init__(self, *, refuse: bool = False) -> None:
        self.keys: dict[tuple[int, str], dict[str, str]] = {}
        self.refuse = refuse

    def OpenKey(self, root: int, path: str, reserved: int, access: int) -> FakeKey:
        if (root, path) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(self.keys[(root, path)])

    def CreateKeyEx(self, root: int, path: str, reserved: int, access: int) -> FakeKey:
        if self.refuse:
            raise PermissionError(5, "Access is denied")
        return FakeKey(self.keys.setdefault((root, path), {}))

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[str, int]:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name], self.REG_SZ

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: Any) -> None:
        assert kind == self.REG_SZ and isinstance(value, str)
        key.values[name] = value

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


def test_on_windows_the_run_key_holds_the_quoted_command() -> None:
    registry = FakeWinreg()
    windows = Autostart(system="Windows", registry=registry, command=[WINDOWS_EXE])
    assert windows.supported and not windows.is_enabled()
    windows.enable()
    assert windows.is_enabled()
    run = registry.keys[(FakeWinreg.HKEY_CURRENT_USER, RUN_KEY)]
    # quoted whole: the spaces and the "ë" stay one program path
    assert run == {APP_NAME: f'"{WINDOWS_EXE}"'}
    windows.disable()
    assert run == {} and not windows.is_enabled()
    windows.disable()  # when it is not set, nothing to do and nothing said


def test_on_windows_from_source_python_and_main_py_are_both_quoted() -> None:
    command = [r"C:\Program Files\Python 3.11\python.exe", r"C:\Projects\ESI é\main.py"]
    assert windows_command_line(command) == (
        r'"C:\Program Files\Python 3.11\python.exe" "C:\Projects\ESI é\main.py"'
    )


def test_on_windows_a_refusal_is_a_sentence_and_changes_nothing() -> None:
    registry = FakeWinreg(refuse=True)
    windows = Autostart(system="Windows", registry=registry, command=[WINDOWS_EXE])
    with pytest.raises(EsiError, match="Windows refused to change your start-up programs"):
        windows.enable()
    assert registry.keys == {} and not windows.is_enabled()


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def exec_arguments(value: str) -> list[str]:
    """An Exec value read back as the Desktop Entry specification says: the string escapes,
    then the quoting (which is the shell's for these characters), then %% as %."""
    unescaped = value.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\")
    return [argument.replace("%%", "%") for argument in shlex.split(unescaped)]


def test_on_linux_an_xdg_autostart_entry_with_the_quoted_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    python = str(tmp_path / "my apps" / "Zoë's python" / "bin" / "python3")
    script = str(tmp_path / "ESI Désktop 100%" / "main.py")
    linux = Autostart(system="Linux", command=[python, script])
    assert linux.desktop_file == tmp_path / "config" / "autostart" / "esi-desktop.desktop"
    assert not linux.is_enabled()
    linux.enable()
    assert linux.is_enabled()
    entry = read_entry(linux.desktop_file)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "ESI Desktop"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["Exec"].startswith('"') and "%%" in entry["Exec"]
    assert exec_arguments(entry["Exec"]) == [python, script]
    # written whole: no temporary file left beside it
    assert sorted(p.name for p in linux.desktop_file.parent.iterdir()) == ["esi-desktop.desktop"]
    linux.disable()
    assert not linux.desktop_file.exists() and not linux.is_enabled()
    linux.disable()  # nothing to remove: no error


def test_the_module_functions_use_this_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert autostart.supported()
    assert not autostart.is_enabled()
    autostart.enable()
    assert autostart.is_enabled()
    entry = read_entry(tmp_path / "autostart" / "esi-desktop.desktop")
    assert exec_arguments(entry["Exec"]) == startup_command()
    autostart.disable()
    assert not autostart.is_enabled()


def test_an_entry_switched_off_by_the_desktop_counts_as_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    linux = Autostart(system="Linux", config_home=tmp_path, command=["/usr/bin/esi"])
    linux.enable()
    text = linux.desktop_file.read_text(encoding="utf-8")
    linux.desktop_file.write_text(text.replace("enabled=true", "enabled=false"), encoding="utf-8")
    assert not linux.is_enabled()


def test_macos_is_not_offered() -> None:
    mac = Autostart(system="Darwin", command=["/Applications/ESI Desktop.app"])
    assert not mac.supported and not mac.is_enabled()
    with pytest.raises(EsiError, match="not offered on macOS"):
        mac.enable()
    mac.disable()  # nothing to undo


def test_the_command_that_starts_the_program(tmp_path: Path) -> None:
    assert startup_command(executable="/opt/esi/ESI Desktop", frozen=True) == [
        "/opt/esi/ESI Desktop"
    ]
    # set from the console program the commands run from: the windowed one beside it starts
    frozen = tmp_path / "Programs" / "ESI Desktop"
    frozen.mkdir(parents=True)
    (frozen / "esi-desktop.exe").write_bytes(b"")
    (frozen / "ESI Desktop.exe").write_bytes(b"")
    found = startup_command(executable=str(frozen / "esi-desktop.exe"), frozen=True)
    assert found == [str(frozen / "ESI Desktop.exe")]
    script = tmp_path / "main.py"
    assert startup_command(executable="/usr/bin/python3", frozen=False, script=script) == [
        "/usr/bin/python3",
        str(script),
    ]
    # on Windows, pythonw.exe beside python.exe: no console window at sign-in
    (tmp_path / "python.exe").write_bytes(b"")
    (tmp_path / "pythonw.exe").write_bytes(b"")
    found = startup_command(executable=str(tmp_path / "python.exe"), frozen=False, script=script)
    assert found == [str(tmp_path / "pythonw.exe"), str(script)]
    assert desktop_exec(["/usr/bin/esi"]) == "/usr/bin/esi"  # nothing to quote
    assert desktop_exec(['/a b/c"d$e\\f']) == '"/a b/c\\\\"d\\\\$e\\\\\\\\f"'


def test_an_entry_left_by_a_moved_copy_is_pointed_at_this_copy(tmp_path: Path) -> None:
    registry = FakeWinreg()
    old = Autostart(system="Windows", registry=registry, command=[r"D:\Old place\ESI Desktop.exe"])
    old.enable()
    moved = Autostart(system="Windows", registry=registry, command=[WINDOWS_EXE])
    assert moved.refresh()
    run = registry.keys[(FakeWinreg.HKEY_CURRENT_USER, RUN_KEY)]
    assert run == {APP_NAME: f'"{WINDOWS_EXE}"'}
    assert not moved.refresh()  # already right: nothing written
    moved.disable()
    assert not moved.refresh() and run == {}  # a disabled entry stays disabled

    linux_old = Autostart(system="Linux", config_home=tmp_path, command=["/opt/old/esi"])
    linux_old.enable()
    linux_new = Autostart(system="Linux", config_home=tmp_path, command=["/usr/bin/esi"])
    assert linux_new.refresh()
    assert read_entry(linux_new.desktop_file)["Exec"] == "/usr/bin/esi"
    assert not linux_new.refresh()
