"""Where a document is saved: never over the database, nor over a file of another kind unless
confirmed; links, read-only files, over-long paths, and what a killed export leaves behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from esi_desktop import database, files
from esi_desktop.cli import main
from esi_desktop.errors import EsiError
from esi_desktop.plan import submission
from tests.conftest import Messages

ROOT = Path(__file__).resolve().parent.parent
SQLITE = b"SQLite format 3\x00" + b"\x00" * 84
XLSX = b"PK\x03\x04" + b"\x14\x00" * 20
OLD_PDF = b"%PDF-1.4\n% the earlier paper\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def export(out: Path, db_url: str, *extra: str) -> tuple[int, str, str]:
    return run("export", "response", "--db", db_url, "--out", str(out), *extra)


def history(out: Path, db_url: str, *extra: str) -> tuple[int, str, str]:
    return run("history", "--db", db_url, "--csv", str(out), *extra)


def db_file(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ----- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [export, history])
@pytest.mark.parametrize("force", [(), ("--force",)])
def test_the_database_in_use_is_never_written_over(
    sample_db: peewee.Database,
    db_url: str,
    command: Callable[..., tuple[int, str, str]],
    force: tuple[str, ...],
) -> None:
    # before: `export response --out <the database>` exited 0 and left a PDF in its place
    path = db_file(db_url)
    before = path.read_bytes()
    status, _, err = command(path, db_url, *force)
    assert status == 2
    assert f"Cannot save {path}: it is the ESI Desktop database in use" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert path.read_bytes()[:16] == b"SQLite format 3\x00" and len(path.read_bytes()) >= len(
        before
    )
    assert leftovers(path.parent) == []


@pytest.mark.parametrize(
    ("command", "content", "found", "kind"),
    [
        (export, SQLITE, "a SQLite database", "a PDF"),
        (export, XLSX, "a spreadsheet, Office document or ZIP archive", "a PDF"),
        (export, b"Minutes of the Board\n", "a text file", "a PDF"),
        (history, SQLITE, "a SQLite database", "a CSV file"),
        (history, OLD_PDF, "a PDF", "a CSV file"),
        (history, XLSX, "a spreadsheet, Office document or ZIP archive", "a CSV file"),
    ],
)
def test_a_file_of_another_kind_needs_force(
    sample_db: peewee.Database,
    db_url: str,
    tmp_path: Path,
    command: Callable[..., tuple[int, str, str]],
    content: bytes,
    found: str,
    kind: str,
) -> None:
    # before: the other file was silently replaced
    other = tmp_path / "other file"
    other.write_bytes(content)
    status, _, err = command(other, db_url)
    assert status == 2
    assert err.endswith(
        f"{other} is {found}, not {kind}; it was not replaced. Choose another name, or pass "
        "--force to replace it.\n"
    )
    assert other.read_bytes() == content
    status, _, err = command(other, db_url, "--force")
    assert status == 0, err
    assert other.read_bytes() != content


def test_a_backup_goes_over_a_backup_but_not_over_a_pdf_unless_forced(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    # before: `backup --to paper.pdf` replaced the paper with a database
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(OLD_PDF)
    status, _, err = run("backup", "--db", db_url, "--to", str(paper))
    assert status == 2
    assert err == (
        f"main.py backup: {paper} is a PDF, not a database backup; it was not replaced. "
        "Choose another name, or pass --force to replace it.\n"
    )
    assert paper.read_bytes() == OLD_PDF
    status, _, err = run("backup", "--db", db_url, "--to", str(paper), "--force")
    assert status == 0, err
    assert paper.read_bytes().startswith(b"SQLite format 3\x00")
    status, _, err = run("backup", "--db", db_url, "--to", str(paper))  # a backup over a backup
    assert status == 0, err


def test_a_pdf_over_a_pdf_and_a_csv_over_a_csv_need_no_force(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(OLD_PDF)
    assert export(paper, db_url)[0] == 0
    assert paper.read_bytes().startswith(b"%PDF") and paper.read_bytes() != OLD_PDF
    trail = tmp_path / "trail.csv"
    trail.write_text("\ufeffWhen,Who\n", encoding="utf-8")
    assert history(trail, db_url)[0] == 0
    assert "Gloucestershire" in trail.read_text(encoding="utf-8-sig")
    empty = tmp_path / "empty.pdf"
    empty.touch()
    assert export(empty, db_url)[0] == 0


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_a_symbolic_link_keeps_pointing_at_the_file_written(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    # before: the link was replaced by a file, and the file it pointed to kept the old paper
    (tmp_path / "papers").mkdir()
    real = tmp_path / "papers" / "response.pdf"
    real.write_bytes(OLD_PDF)
    link = tmp_path / "latest.pdf"
    link.symlink_to(real)
    status, _, err = export(link, db_url)
    assert (status, err.count("warning:") > 0) == (0, True)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes().startswith(b"%PDF") and real.read_bytes() != OLD_PDF
    assert leftovers(tmp_path) == leftovers(real.parent) == []
    # a link to the database is the database
    to_database = tmp_path / "db-link.csv"
    to_database.symlink_to(db_file(db_url))
    status, _, err = history(to_database, db_url, "--force")
    assert status == 2 and "it is the ESI Desktop database in use" in err
    # a link to a file not there yet makes the file
    dangling = tmp_path / "next.pdf"
    dangling.symlink_to(tmp_path / "papers" / "next-real.pdf")
    assert export(dangling, db_url)[0] == 0
    assert dangling.is_symlink() and (tmp_path / "papers" / "next-real.pdf").is_file()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_a_loop_of_symbolic_links_is_one_sentence(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.symlink_to(second)
    second.symlink_to(first)
    with pytest.raises(EsiError) as caught:
        submission.write_pdf_atomically(first, b"%PDF-1.4")
    assert str(caught.value) == (
        f"Cannot save {first}: it is a symbolic link that leads round in a circle. Choose "
        "another name."
    )
    assert first.is_symlink() and second.is_symlink()


def test_a_read_only_file_is_refused_with_a_sentence(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    # before: os.replace swapped the read-only file (POSIX lets a folder's owner do so)
    paper = tmp_path / "signed.pdf"
    paper.write_bytes(OLD_PDF)
    paper.chmod(0o444)
    for force in ((), ("--force",)):
        status, _, err = export(paper, db_url, *force)
        assert status == 2
        assert err == (
            f"main.py export: Cannot save {paper}: the file is read-only, and it was not "
            "replaced. Choose another name, or make the file writable first.\n"
        )
    assert paper.read_bytes() == OLD_PDF


def test_a_path_too_long_for_the_system_is_one_sentence(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    # before: an OSError (File name too long) traceback
    too_long_name = tmp_path / ("Board progress " * 20 + ".pdf")
    deep = tmp_path.joinpath(*(["a folder with a long name" * 4] * 50), "paper.pdf")
    for path in (too_long_name, deep):
        for command in (export, history):
            status, _, err = command(path, db_url)
            assert status == 2, err
            assert "is too long for the system. Choose a shorter name" in err
            assert err.count("\n") == 1 and "Traceback" not in err and "Errno" not in err


def test_a_long_name_that_fits_is_saved(tmp_path: Path) -> None:
    # the temporary name adds to the name: it must not make a name that fits too long
    path = tmp_path / ("p" * 250 + ".pdf")
    submission.write_pdf_atomically(path, b"%PDF-1.4")
    assert path.read_bytes() == b"%PDF-1.4" and leftovers(tmp_path) == []


def test_temporary_files_of_a_killed_export_are_removed_on_the_next_start(
    db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    # before: the hidden ".paper.pdf.….tmp" stayed in the user's folder for ever
    target = tmp_path / "paper.pdf"
    killed_while_writing = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from esi_desktop import files\n"
        "os.fsync = lambda _descriptor: os._exit(9)\n"
        "files.write_atomically(Path(sys.argv[1]), b'%PDF-half', kind=files.PDF)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", killed_while_writing, str(target)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 9
    left = leftovers(tmp_path)
    assert len(left) == 1 and left[0].startswith(".paper.pdf.")
    assert not target.exists()
    status, _, err = run("scores", "--db", db_url)
    assert (status, err) == (0, "")
    assert leftovers(tmp_path) == []
    assert files.remove_unfinished_saves() == []  # and the note of it is gone too


def test_a_save_under_way_in_this_program_is_left_alone(tmp_path: Path) -> None:
    seen: list[list[Path]] = []
    real_fsync = os.fsync

    def look(descriptor: int) -> None:
        seen.append(files.remove_unfinished_saves())
        real_fsync(descriptor)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", look)
        submission.write_pdf_atomically(tmp_path / "paper.pdf", b"%PDF-1.4")
    assert seen and seen[0] == []
    assert (tmp_path / "paper.pdf").read_bytes() == b"%PDF-1.4"


def test_kinds_of_file_are_told_by_their_first_bytes(tmp_path: Path) -> None:
    samples = {
        "empty": b"",
        "pdf": OLD_PDF,
        "sqlite": SQLITE,
        "zip": XLSX,
        "office": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
        "text": "\ufeffWhen,Who\nZoë,Brontë\n".encode(),
        "other": b"\x89PNG\r\n\x1a\n\x00\x00",
    }
    for kind, content in samples.items():
        path = tmp_path / kind
        path.write_bytes(content)
        assert files.kind_of_file(path) == kind
    # a character cut at the end of the bytes looked at is still text
    cut = tmp_path / "cut"
    cut.write_bytes(b"a" * (64 * 1024 - 1) + "é".encode())
    assert files.kind_of_file(cut) == "text"


def test_the_open_database_and_its_journal_are_kept_even_when_forced(
    db: peewee.Database,
) -> None:
    opened = database.opened()
    assert opened is not None and opened.path is not None
    with pytest.raises(EsiError, match="database in use"):
        submission.write_pdf_atomically(opened.path, b"%PDF-1.4", force=True)
    assert opened.path.read_bytes().startswith(b"SQLite format 3\x00")
    journal = Path(f"{opened.path}-wal")
    assert journal.is_file()  # the database is open in WAL mode
    before = journal.read_bytes()
    with pytest.raises(EsiError, match="database in use"):
        submission.write_pdf_atomically(journal, b"%PDF-1.4", force=True)
    assert journal.read_bytes() == before


# ----- the window ---------------------------------------------------------------------------


@pytest.fixture
def preview(qtbot: QtBot, tmp_path: Path) -> Callable[[Path], QWidget]:
    from ui.app import make_application
    from ui.export import dialogs as export_dialog

    make_application()

    def save_to(path: Path) -> export_dialog.PdfPreviewDialog:
        dialog = export_dialog.PdfPreviewDialog(
            b"%PDF-1.4\n%%EOF\n", title="Response", suggested_path=tmp_path / "x.pdf"
        )
        qtbot.addWidget(dialog)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                export_dialog.QFileDialog,
                "getSaveFileName",
                lambda *args, **kwargs: (str(path), ""),
            )
            dialog.save()
        return dialog

    return save_to


def test_the_window_asks_before_a_pdf_replaces_a_file_of_another_kind(
    db: peewee.Database,
    preview: Callable[[Path], QWidget],
    tmp_path: Path,
    messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # before: the file dialog's "replace?" was the only question, whatever the file was
    other = tmp_path / "minutes.pdf"
    other.write_bytes(SQLITE)
    preview(other)
    assert messages == [
        (
            "Replace a file of another kind?",
            f"{other} is a SQLite database, not a PDF. Replace it with a PDF? What it holds "
            "now will be lost.",
        )
    ]
    assert other.read_bytes() == b"%PDF-1.4\n%%EOF\n"

    other.write_bytes(SQLITE)
    messages.clear()
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    dialog = preview(other)
    assert other.read_bytes() == SQLITE and messages == []
    assert getattr(dialog, "saved_path", "unset") is None


def test_the_window_refuses_the_open_database_outright(
    qtbot: QtBot, preview: Callable[[Path], QWidget], tmp_path: Path, messages: Messages
) -> None:
    named_like_a_pdf = tmp_path / "board.pdf"  # the dialog adds ".pdf" to any other name
    database.connect(database.file_url(named_like_a_pdf))
    try:
        preview(named_like_a_pdf)
    finally:
        database.disconnect()
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "Cannot save the PDF"
    assert "it is the ESI Desktop database in use, and it was not replaced" in text
    assert named_like_a_pdf.read_bytes().startswith(b"SQLite format 3\x00")


def test_the_window_asks_before_the_history_replaces_a_spreadsheet(
    qtbot: QtBot,
    sample_db: peewee.Database,
    tmp_path: Path,
    messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from ui.history_dialog import export_history_csv

    parent = QWidget()
    qtbot.addWidget(parent)
    sheet = tmp_path / "board.csv"
    sheet.write_bytes(XLSX)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(sheet), ""))
    assert export_history_csv(parent, inspection_id=None) == sheet
    assert messages[0] == (
        "Replace a file of another kind?",
        f"{sheet} is a spreadsheet, Office document or ZIP archive, not a CSV file. Replace "
        "it with a CSV file? What it holds now will be lost.",
    )
    assert messages[1][0] == "History exported"
    assert sheet.read_text(encoding="utf-8-sig").startswith("When,Who")
