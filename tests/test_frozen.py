"""The frozen build (packaging/build.py) run as a user runs it: commands, documents, the window.

Marked ``frozen``: the default run leaves these out; .ci/run builds the bundle, then runs
``pytest -m frozen``. A missing build fails with the command that makes it, never skips.
"""

from __future__ import annotations

import email
import importlib.util
import io
import json
import os
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from esi_desktop import __version__
from esi_desktop.cli import main
from esi_desktop.cli.parser import build_parser
from esi_desktop.resources import SAMPLE_REPORT

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parent.parent


def _build_module() -> ModuleType:
    # loaded by path: a package named "packaging" would shadow the library of that name
    spec = importlib.util.spec_from_file_location("esi_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()
COMMAND: Path = BUILD.COMMAND
WINDOW: Path = BUILD.WINDOW


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of every run: offscreen, and data folders of its own (never the user's)."""
    for executable in (COMMAND, WINDOW):
        if not executable.is_file():
            pytest.fail(
                f"The frozen build is missing ({executable} does not exist): run "
                "`uv run python packaging/build.py` first, then `uv run pytest -m frozen`."
            )
    folder = tmp_path_factory.mktemp("frozen-home")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(folder / variable.lower())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no D-Bus here
    env.pop(BUILD_PROBE, None)
    yield env


BUILD_PROBE = "ESI_DESKTOP_FIRST_PAINT_PROBE"


def frozen(
    env: dict[str, str], *argv: str, executable: Path = COMMAND, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the frozen program; it must never print a traceback."""
    done = subprocess.run(
        [str(executable), *argv],
        env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=180,
        check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert "Failed to execute script" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def sample_url(home: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A new SQLite database, in a folder with a space and non-ASCII letters, holding the
    reference report imported by the frozen program."""
    folder = tmp_path_factory.mktemp("frozen") / "Siân O'Neill" / "Board papers"
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'esi.sqlite3'}"
    done = frozen(home, "import", str(SAMPLE_REPORT), "--db", url)
    assert done.returncode == 0, done.stderr
    assert "Imported the Gloucestershire report of 2005-01 as inspection 1" in done.stdout
    return url


def test_version_is_the_projects(home: dict[str, str]) -> None:
    done = frozen(home, "--version")
    assert (done.returncode, done.stdout) == (0, f"ESI Desktop {__version__}\n")


def test_every_command_answers_help(home: dict[str, str]) -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    assert commands.choices is not None
    names = sorted(commands.choices)
    assert {"scores", "import", "export", "backup", "restore", "status"} <= set(names)
    for name in names:
        done = frozen(home, name, "--help")
        assert done.returncode == 0, (name, done.stderr)
        assert "usage:" in done.stdout and name in done.stdout, name


def test_scores_are_the_published_figures_and_those_of_the_source(
    home: dict[str, str], sample_url: str
) -> None:
    done = frozen(home, "scores", "--json", "--db", sample_url)
    assert (done.returncode, done.stderr) == (0, "")
    document = json.loads(done.stdout)
    core = document["frameworks"]["esi-core"]
    assert (core["sections"], core["overall"]) == ({"B": 61, "C": 72, "D": 70}, 68)
    assert document["frameworks"]["esi-accommodation"]["sections"] == {"B": 44, "C": 62, "D": 76}
    out, err = io.StringIO(), io.StringIO()
    assert main(["scores", "--json", "--db", sample_url], out=out, err=err) == 0
    assert json.loads(out.getvalue()) == document  # the source run agrees on every figure


def test_response_pdf_reads_back(home: dict[str, str], sample_url: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "Réponse du Board.pdf"
    done = frozen(home, "export", "response", "--out", str(out), "--db", sample_url)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    assert len(reader.pages) > 0
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Gloucestershire" in text


def test_response_docx_and_plan_xlsx_open(
    home: dict[str, str], sample_url: str, tmp_path: Path
) -> None:
    import docx
    import openpyxl  # type: ignore[import-untyped]

    response, plan = tmp_path / "response.docx", tmp_path / "plan.xlsx"
    for document, out in (("response", response), ("plan", plan)):
        done = frozen(home, "export", document, "--out", str(out), "--db", sample_url)
        assert done.returncode == 0, (document, done.stderr)
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(response)).paragraphs)
    assert "Gloucestershire" in text
    workbook = openpyxl.load_workbook(plan, read_only=True)
    assert "Plan" in workbook.sheetnames
    workbook.close()


def test_progress_calendar_and_email_are_written(
    home: dict[str, str], sample_url: str, tmp_path: Path
) -> None:
    from icalendar import Calendar
    from pypdf import PdfReader

    progress, calendar, message = (tmp_path / n for n in ("p.pdf", "c.ics", "m.eml"))
    runs = (
        ("progress", "--out", str(progress), "--meeting", "2005-06-01"),
        ("calendar", "--out", str(calendar)),
        ("email", "response", "--to", "inspectorate@example.org", "--out", str(message)),
    )
    for argv in runs:
        done = frozen(home, "export", *argv, "--db", sample_url)
        assert done.returncode == 0, (argv, done.stderr)
    assert len(PdfReader(progress).pages) > 0
    assert Calendar.from_ical(calendar.read_bytes()).name == "VCALENDAR"
    parsed = email.message_from_bytes(message.read_bytes())
    attachments = [name for part in parsed.walk() if (name := part.get_filename())]
    assert attachments and attachments[0].endswith(".pdf")


def test_evidence_is_attached_and_bundled(
    home: dict[str, str], sample_url: str, tmp_path: Path
) -> None:
    note = tmp_path / "Minutes – Board meeting.txt"
    note.write_text("The Board approved the plan.\n", encoding="utf-8")
    done = frozen(home, "attach", "1", str(note), "--db", sample_url)
    assert done.returncode == 0, done.stderr
    listed = frozen(home, "evidence", "--db", sample_url)
    assert listed.returncode == 0 and note.name in listed.stdout, listed.stderr
    bundle = tmp_path / "bundle.zip"
    done = frozen(home, "export", "bundle", "--out", str(bundle), "--db", sample_url)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(bundle) as archive:
        assert any(name.endswith(note.name) for name in archive.namelist())


def test_backup_is_a_sqlite_copy(home: dict[str, str], sample_url: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    done = frozen(home, "backup", "--to", str(copy), "--db", sample_url)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT area FROM inspection").fetchall() == [("Gloucestershire",)]


def test_a_server_url_loads_the_postgresql_driver(home: dict[str, str]) -> None:
    # nothing listens on port 1: the sentence proves psycopg2 was bundled and loaded
    done = frozen(home, "scores", "--db", "postgresql://nobody:pw@127.0.0.1:1/esi")
    assert done.returncode != 0
    assert "127.0.0.1" in done.stderr and "No module named" not in done.stderr, done.stderr


def test_the_icon_is_in_the_bundle() -> None:
    """The window sets it from the bundle's resources (ui.app.app_icon)."""
    bundled = WINDOW.parent / "_internal" / "resources" / "icons" / "esi-desktop.ico"
    assert bundled.is_file() and bundled.read_bytes()[:4] == b"\x00\x00\x01\x00"


@pytest.mark.parametrize("executable", [WINDOW, COMMAND], ids=["window", "command"])
def test_window_opens_offscreen_and_closes(
    home: dict[str, str], sample_url: str, executable: Path
) -> None:
    env = dict(home, **{BUILD_PROBE: "1"})
    done = frozen(env, "--db", sample_url, executable=executable)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("first-paint "), done.stdout
    assert "Error" not in done.stderr, done.stderr
