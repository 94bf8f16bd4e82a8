"""Issue 10 §6: another program's file is never changed, and commands that read never write.

ESI Desktop marks its SQLite files (``PRAGMA application_id``); an existing non-empty file
that is neither marked nor an older ESI Desktop database (its ``esi_schema`` table) is
refused before anything is written to it, so it stays byte for byte as it was.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from db.migrations import APPLICATION_ID
from esi_desktop import database
from esi_desktop.cli import main
from esi_desktop.resources import SAMPLE_REPORT

FIXTURES = Path(__file__).parent / "fixtures"
#: The commands that only read the database (their output goes to a folder "{out}").
READING_COMMANDS = [
    ["scores"],
    ["history", "--csv", "{out}/c.csv"],
    ["export", "response", "--out", "{out}/r.pdf"],
]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def other_programs_file(path: Path, *, clashing: bool = False) -> Path:
    """A SQLite file of another program (an address book), optionally with a clashing table."""
    with sqlite3.connect(path) as writer:
        writer.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
        writer.executemany("INSERT INTO contact (name) VALUES (?)", [("Ann",), ("Bob",)])
        if clashing:
            writer.execute("CREATE TABLE inspection (id INTEGER PRIMARY KEY, place TEXT)")
    writer.close()
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder: its bytes and modification time."""
    return {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in sorted(folder.iterdir())}


def refusal(path: Path) -> str:
    return (
        f"{path} is not an ESI Desktop database (it belongs to another program); it was not "
        "changed. Choose an ESI Desktop database or a new file name."
    )


@pytest.mark.parametrize(
    "command",
    [
        ["scores"],
        ["history", "--csv", "{out}/changes.csv"],
        ["export", "response", "--out", "{out}/response.pdf"],
        ["mark-sent"],
        ["import", str(SAMPLE_REPORT)],
        ["backup", "--to", "{out}/copy.sqlite3"],
    ],
)
def test_no_command_changes_another_programs_database(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "address book #1 %20"  # a URI must not misread the name
    folder.mkdir()
    path = other_programs_file(folder / "contacts.db")
    before = snapshot(folder)
    (tmp_path / "out").mkdir()
    argv = [part.format(out=tmp_path / "out") for part in command]

    status, out, err = run(*argv, "--db", f"sqlite:///{path}")

    assert snapshot(folder) == before  # byte for byte, same times, nothing beside it
    if command[0] == "backup":  # a copy changes nothing, so copying is allowed
        assert status == 0, err
        return
    assert (status, out) == (2, "")
    assert err == f"main.py {command[0]}: {refusal(path)}\n"


def test_a_clashing_table_is_refused_before_the_journal_mode_changes(tmp_path: Path) -> None:
    path = other_programs_file(tmp_path / "contacts.db", clashing=True)
    before = snapshot(tmp_path)

    with pytest.raises(database.DatabaseUnavailable) as raised:
        database.connect(f"sqlite:///{path}")  # the window opening it as its database

    assert str(raised.value) == refusal(path)
    assert snapshot(tmp_path) == before  # not switched to WAL, no backup made
    database.disconnect()


def test_an_empty_file_is_no_database_to_read_or_change(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()

    for command in (["scores"], ["mark-sent"]):
        status, out, err = run(*command, "--db", f"sqlite:///{path}")
        assert (status, out) == (2, "")
        assert err == (
            f"main.py {command[0]}: The file {path} is empty, so it is not an ESI Desktop "
            "database; it was not changed. Choose an ESI Desktop database, or create one with "
            "File ▸ New database.\n"
        )
        assert path.stat().st_size == 0


def test_an_empty_file_chosen_as_a_new_database_becomes_one(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()

    database.connect(f"sqlite:///{path}", create=True)  # File ▸ New database
    database.disconnect()

    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    reader.close()


def test_new_databases_are_marked_and_older_ones_are_marked_on_opening(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    database.connect(f"sqlite:///{fresh}")
    database.disconnect()
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(FIXTURES / "schema-v1.sqlite3", older)
    with sqlite3.connect(older) as reader:
        assert reader.execute("PRAGMA application_id").fetchone()[0] == 0
    reader.close()

    database.connect(f"sqlite:///{older}", back_up_on_open=False)
    database.disconnect()

    for path in (fresh, older):
        with sqlite3.connect(path) as reader:
            assert reader.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        reader.close()


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_commands_that_read_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "nowhere" / "esi.sqlite3"
    argv = [part.format(out=tmp_path) for part in command]

    status, out, err = run(*argv, "--db", f"sqlite:///{path}")

    assert (status, out) == (2, "")
    assert err.startswith(f"main.py {command[0]}: There is no database at {path}.")
    assert not path.parent.exists()


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_commands_that_read_never_update_an_older_database(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "board"
    folder.mkdir()
    path = folder / "esi.sqlite3"
    shutil.copyfile(FIXTURES / "schema-v1.sqlite3", path)
    before = snapshot(folder)
    argv = [part.format(out=tmp_path) for part in command]

    status, out, err = run(*argv, "--db", f"sqlite:///{path}")

    assert (status, out) == (2, "")
    assert err == (
        f"main.py {command[0]}: The database {path} was made by an older version of ESI "
        "Desktop and must be updated before it can be read; open it in ESI Desktop once (it "
        "is backed up first), or run a command that changes it such as `main.py import`, "
        "then try again.\n"
    )
    assert snapshot(folder) == before


def test_commands_that_read_still_read_a_current_database(tmp_path: Path) -> None:
    path = tmp_path / "esi.sqlite3"
    assert run("import", str(SAMPLE_REPORT), "--db", f"sqlite:///{path}")[0] == 0
    before = path.read_bytes()

    status, out, err = run("scores", "--db", f"sqlite:///{path}")

    assert (status, err) == (0, "")
    assert "Gloucestershire" in out
    assert path.read_bytes() == before


def test_a_backup_is_never_restored_over_another_programs_file(tmp_path: Path) -> None:
    ours = tmp_path / "esi.sqlite3"
    assert run("import", str(SAMPLE_REPORT), "--db", f"sqlite:///{ours}")[0] == 0
    assert run("backup", "--db", f"sqlite:///{ours}", "--to", str(tmp_path / "b.sqlite3"))[0] == 0
    folder = tmp_path / "address-book"
    folder.mkdir()
    path = other_programs_file(folder / "contacts.db")
    before = snapshot(folder)

    status, out, err = run(
        "restore", str(tmp_path / "b.sqlite3"), "--db", f"sqlite:///{path}", "--yes"
    )

    assert (status, out) == (2, "")
    assert err == f"main.py restore: {refusal(path)}\n"
    assert snapshot(folder) == before
