"""What a secretary's Windows desktop does to files, checked here: simulated where Linux cannot.

Paths with spaces, apostrophes and non-ASCII letters are real here; the data folders under
%LOCALAPPDATA%, mapped network drives (GetDriveTypeW) and a file held open by a PDF viewer
(Windows refuses to replace it: WinError 32) are simulated behind the seams the code uses.
What only a Windows run can confirm is listed in packaging/README.md.
"""

from __future__ import annotations

import errno
import ntpath
import os
import types
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest

import db.urls
from db.connection import choose_journal_mode
from db.urls import is_network_path, parse_database_url, sqlite_url
from esi_desktop import database, files
from esi_desktop.errors import EsiError
from esi_desktop.files import CSV, PDF, check_output_path, write_atomically

BOARD_PAPERS = r"C:\Users\Siân O'Neill\Documents\Board papers"
LOCAL_APPDATA = r"C:\Users\Siân O'Neill\AppData\Local"


def _sharing_violation(path: object) -> PermissionError:
    """What Windows raises when another program has the file open (ERROR_SHARING_VIOLATION)."""
    error = PermissionError(
        errno.EACCES,
        "The process cannot access the file because it is being used by another process",
        str(path),
    )
    error.winerror = 32  # type: ignore[attr-defined]  # set by Windows itself there
    return error


# ----- paths with spaces, apostrophes and non-ASCII letters (real) ---------------------------


def test_a_windows_path_survives_the_database_url() -> None:
    path = PureWindowsPath(BOARD_PAPERS) / "esi.sqlite3"
    location = parse_database_url(f"sqlite:///{path}")
    assert str(location.path) == rf"{BOARD_PAPERS}\esi.sqlite3"
    assert location.display == rf"{BOARD_PAPERS}\esi.sqlite3"
    # typed with forward slashes, as the file dialogs of Qt give it
    forward = parse_database_url("sqlite:///C:/Users/Siân O'Neill/Documents/Board papers/e.db")
    assert str(forward.path) == "C:/Users/Siân O'Neill/Documents/Board papers/e.db"


def test_a_database_in_a_non_ascii_folder_with_spaces_opens_and_saves(tmp_path: Path) -> None:
    folder = tmp_path / "Siân O'Neill" / "Board papers"
    folder.mkdir(parents=True)
    path = folder / "Plan d'action – Gloucestershire.sqlite3"
    connection = database.connect(sqlite_url(path))
    try:
        opened = database.opened()
        assert opened is not None and opened.path == path
        assert (opened.journal, opened.on_network_path) == ("wal", False)
        connection.execute_sql("CREATE TABLE note (text TEXT)")
        connection.execute_sql("INSERT INTO note VALUES (?)", ("Siân",))
        assert connection.execute_sql("SELECT text FROM note").fetchall() == [("Siân",)]
    finally:
        database.disconnect()
    assert path.is_file()


def test_a_document_saves_in_a_non_ascii_folder_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "Siân O'Neill" / "Board papers"
    folder.mkdir(parents=True)
    out = folder / "Réponse – 2005.pdf"
    assert write_atomically(out, b"%PDF-1.4 new", kind=PDF) == out
    assert out.read_bytes() == b"%PDF-1.4 new"
    assert sorted(os.listdir(folder)) == [out.name]  # no temporary file left


def test_a_missing_non_ascii_folder_is_named_in_the_sentence(tmp_path: Path) -> None:
    out = tmp_path / "Siân O'Neill" / "Board papers" / "response.pdf"
    with pytest.raises(EsiError) as raised:
        check_output_path(out, kind=PDF)
    assert str(raised.value) == (
        f"Cannot save {out}: the folder {out.parent} does not exist. Choose another folder."
    )


# ----- the data folders: %LOCALAPPDATA%, never the roaming profile (simulated) ---------------


def _windows_dirs(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """platformdirs as on Windows, with %LOCALAPPDATA% the folder above."""
    from platformdirs.windows import Windows

    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", LOCAL_APPDATA)
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\Siân O'Neill\AppData\Roaming")

    def folder(kind: str) -> Callable[..., Path]:
        def path(appname: str, appauthor: str, *args: Any, **kwargs: Any) -> Path:
            dirs = Windows(appname, appauthor, *args, **kwargs)
            return Path(getattr(dirs, f"user_{kind}_dir"))

        return path

    monkeypatch.setattr(database, "user_data_path", folder("data"))
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_state_path", folder("state"))
    return folder("log")


def _as_windows(path: Path) -> str:
    return ntpath.normpath(str(path))


def test_the_database_lives_in_localappdata(monkeypatch: pytest.MonkeyPatch) -> None:
    _windows_dirs(monkeypatch)
    expected = rf"{LOCAL_APPDATA}\ESI Desktop\ESI Desktop\esi-desktop.sqlite3"
    assert _as_windows(database.default_database_path()) == expected
    assert database.default_database_url() == f"sqlite:///{database.default_database_path()}"
    # the installer's program folder is elsewhere, so an upgrade or uninstall never meets it
    program_folder = rf"{LOCAL_APPDATA}\Programs\ESI Desktop"
    assert not expected.startswith(program_folder + "\\")


def test_unfinished_saves_and_the_log_live_in_localappdata(monkeypatch: pytest.MonkeyPatch) -> None:
    log_path = _windows_dirs(monkeypatch)
    saves = _as_windows(files._unfinished_saves_folder())
    assert saves == rf"{LOCAL_APPDATA}\ESI Desktop\ESI Desktop\unfinished-saves"
    logs = _as_windows(log_path(database.APP_NAME, database.APP_AUTHOR))
    assert logs == rf"{LOCAL_APPDATA}\ESI Desktop\ESI Desktop\Logs"
    assert "Roaming" not in saves + logs


# ----- network shares: UNC paths and mapped drives (simulated GetDriveTypeW) -----------------


class _Kernel32:
    """GetDriveTypeW as Windows answers: 4 (DRIVE_REMOTE) for mapped drives, 3 (fixed) else."""

    def __init__(self, remote: set[str]) -> None:
        self.remote = remote
        self.asked: list[str] = []

    def GetDriveTypeW(self, root: str) -> int:  # the Windows API's name
        self.asked.append(root)
        return 4 if root.upper() in self.remote else 3


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> _Kernel32:
    """db.urls sees os.name == "nt" and a kernel32 where H: and Z: are mapped network drives."""
    import ctypes

    kernel32 = _Kernel32({"H:\\", "Z:\\"})
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    # only this module's view of os changes: pathlib elsewhere must stay POSIX here
    monkeypatch.setattr(db.urls, "os", types.SimpleNamespace(name="nt"))
    return kernel32


def test_a_mapped_network_drive_is_a_network_path(on_windows: _Kernel32) -> None:
    assert is_network_path(Path(r"Z:\Board\esi.sqlite3"))
    assert is_network_path(Path("h:/Board papers/esi.sqlite3"))
    assert not is_network_path(Path(rf"{BOARD_PAPERS}\esi.sqlite3"))
    assert on_windows.asked == ["Z:\\", "h:\\", "C:\\"]


def test_a_mapped_drive_gets_the_rollback_journal_and_the_warning(on_windows: _Kernel32) -> None:
    location = parse_database_url(r"sqlite:///Z:\Board papers\esi.sqlite3")
    assert location.on_network_path
    assert choose_journal_mode(location.path) == "delete"
    local = parse_database_url(rf"sqlite:///{BOARD_PAPERS}\esi.sqlite3")
    assert not local.on_network_path
    assert choose_journal_mode(local.path) == "wal"


def test_unc_paths_are_network_paths_without_asking_windows(on_windows: _Kernel32) -> None:
    for text in (r"\\boardserver\plans\esi.sqlite3", "//boardserver/plans/esi.sqlite3"):
        assert is_network_path(Path(text))
        assert parse_database_url(f"sqlite:///{text}").on_network_path
    assert on_windows.asked == []  # a UNC path is known by its form


# ----- a file open in a PDF viewer, Word or Excel: Windows will not replace it (simulated) ---


@pytest.mark.parametrize(
    ("kind", "name", "viewer"),
    [(PDF, "response.pdf", "a PDF viewer"), (CSV, "history.csv", "Excel")],
)
def test_a_file_open_in_another_program_is_kept_and_the_sentence_says_close_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: files.OutputKind, name: str, viewer: str
) -> None:
    folder = tmp_path / "Board papers"
    folder.mkdir()
    out = folder / name
    old = b"%PDF-1.4 old" if kind is PDF else b"old,row\n"
    out.write_bytes(old)

    def replace_refused(source: object, target: object) -> None:
        raise _sharing_violation(target)

    monkeypatch.setattr("esi_desktop.files.os.replace", replace_refused)
    new = b"%PDF-1.4 new" if kind is PDF else b"new,row\n"
    with pytest.raises(EsiError) as raised:
        write_atomically(out, new, kind=kind)
    assert str(raised.value) == (
        f"Cannot save {out}: the file is open in another program (such as {viewer}) or is "
        "read-only. Close it there and save again, or choose another name."
    )
    assert out.read_bytes() == old  # the old file is kept whole
    assert os.listdir(folder) == [name]  # and no temporary file is left beside it


def test_a_file_another_program_keeps_others_from_reading_is_not_blamed_on_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Excel and some viewers open with no sharing at all: even reading the file's first bytes
    # (to see it is a PDF) fails with WinError 32, and the folder is not at fault
    out = tmp_path / "response.pdf"
    out.write_bytes(b"%PDF-1.4 old")

    def reading_refused(path: Path) -> str:
        raise _sharing_violation(path)

    monkeypatch.setattr(files, "kind_of_file", reading_refused)
    with pytest.raises(EsiError) as raised:
        write_atomically(out, b"%PDF-1.4 new", kind=PDF)
    assert str(raised.value) == (
        f"Cannot save {out}: the file is open in another program (such as a PDF viewer) or "
        "is read-only. Close it there and save again, or choose another name."
    )
    assert out.read_bytes() == b"%PDF-1.4 old"


def test_a_folder_without_write_permission_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the other PermissionError: Windows refuses to create the temporary file in the folder
    out = tmp_path / "response.pdf"

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Access is denied", str(tmp_path))

    monkeypatch.setattr("esi_desktop.files.tempfile.mkstemp", refused)
    with pytest.raises(EsiError) as raised:
        write_atomically(out, b"%PDF-1.4 new", kind=PDF)
    assert str(raised.value) == (
        f"Cannot save {out}: you may not write in the folder {tmp_path}. Choose another "
        "folder, such as your Documents folder."
    )
    assert not out.exists()


def test_a_path_too_long_for_windows_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "response.pdf"

    def too_long(*args: object, **kwargs: object) -> tuple[int, str]:
        error = FileNotFoundError(errno.ENOENT, "The filename or extension is too long")
        error.winerror = 206  # type: ignore[attr-defined]  # ERROR_FILENAME_EXCED_RANGE
        raise error

    monkeypatch.setattr("esi_desktop.files.tempfile.mkstemp", too_long)
    with pytest.raises(EsiError, match="too long for the system"):
        write_atomically(out, b"%PDF-1.4 new", kind=PDF)


# ----- the installed program finds what it ships --------------------------------------------


def test_the_installed_program_finds_its_resources_in_the_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from esi_desktop import resources

    installed = rf"{LOCAL_APPDATA}\Programs\ESI Desktop\_internal"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", installed, raising=False)
    assert str(resources.resources_dir()) == f"{installed}/resources"
    monkeypatch.delattr(sys, "frozen")
    assert resources.resources_dir() == resources.RESOURCES_DIR  # from source: the checkout
    assert (resources.RESOURCES_DIR / "samples" / "esi-gloucestershire-2005.txt").is_file()


def test_an_extended_length_local_path_is_not_a_network_path(on_windows: _Kernel32) -> None:
    # "\\?\C:\…" is how some programs hand over a long local path: the drive is asked about
    assert not is_network_path(Path(r"\\?\C:\Board papers\esi.sqlite3"))
    assert is_network_path(Path(r"\\?\Z:\Board\esi.sqlite3"))
    assert on_windows.asked == ["C:\\", "Z:\\"]
    # "\\?\UNC\server\share" is a share, known by its form
    assert is_network_path(Path(r"\\?\UNC\boardserver\plans\esi.sqlite3"))
    assert on_windows.asked == ["C:\\", "Z:\\"]
