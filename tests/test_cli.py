"""The command line, in process and end to end through main.py."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from esi_desktop.cli import main
from esi_desktop.resources import SAMPLE_REPORT

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_scores_json_after_importing_the_sample(db_url: str) -> None:
    status, _, err = run("import", str(SAMPLE_REPORT), "--db", db_url)
    assert (status, err) == (0, "")
    status, out, err = run("scores", "--db", db_url, "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["inspection"] == {
        "id": 1,
        "area": "Gloucestershire",
        "published": "2005-01",
        "title": document["inspection"]["title"],
    }
    core = document["frameworks"]["esi-core"]
    assert core["sections"] == {"B": 61, "C": 72, "D": 70}
    assert core["overall"] == 68
    assert core["criteria"]["A1"] == "Partly met"
    assert core["criteria"]["B1"] == 46
    assert list(core["criteria"])[:6] == ["A1", "A2", "A3", "A4", "A5", "B1"]
    thematic = document["frameworks"]["esi-accommodation"]
    assert thematic["sections"] == {"B": 44, "C": 62, "D": 76}
    assert thematic["overall"] is None


def test_scores_lists_every_inspection_when_none_is_named(db_url: str, tmp_path: Path) -> None:
    other = tmp_path / "northshire.txt"
    other.write_text(
        SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Northshire"),
        encoding="utf-8",
    )
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    assert run("import", str(other), "--db", db_url)[0] == 0
    status, out, _ = run("--db", db_url, "scores", "--json")
    assert status == 0
    documents = json.loads(out)
    assert isinstance(documents, list)
    assert sorted(d["inspection"]["area"] for d in documents) == ["Gloucestershire", "Northshire"]
    status, out, _ = run("scores", "--db", db_url, "--inspection", "2", "--json")
    assert json.loads(out)["inspection"]["area"] == "Northshire"


def test_scores_table_is_readable(db_url: str) -> None:
    run("import", str(SAMPLE_REPORT), "--db", db_url)
    status, out, _ = run("scores", "--db", db_url)
    assert status == 0
    assert "Inspection 1: Gloucestershire, published 2005-01" in out
    lines = out.splitlines()
    assert any(line.strip().startswith("Score for section B") and line.endswith("61%")
               for line in lines)  # fmt: skip
    assert any(line.strip().startswith("Overall score") and line.endswith("68%") for line in lines)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scores", "--db", "mysql://x/y"], "Unknown database type 'mysql'"),
        (["scores", "--db", "sqlite:///{tmp}/absent.sqlite3"], "There is no database at"),
        (["scores", "--inspection", "7", "--db", "{db}"], "no inspection with id 7"),
        (["import", "{tmp}/absent.txt", "--db", "{db}"], "There is no file at"),
        (["scores", "--inspection", "seven"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_errors_are_one_line_and_exit_status_2(
    argv: list[str], message: str, db_url: str, tmp_path: Path
) -> None:
    run("import", str(SAMPLE_REPORT), "--db", db_url)
    filled = [a.format(tmp=tmp_path, db=db_url) for a in argv]
    out, err = io.StringIO(), io.StringIO()
    sys_stderr = sys.stderr
    sys.stderr = err  # argparse writes its own errors to sys.stderr
    try:
        status = main(filled, out=out, err=err)
    finally:
        sys.stderr = sys_stderr
    assert status == 2
    assert message in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1
    assert "Traceback" not in err.getvalue()


def test_every_command_has_help() -> None:
    for argv in ([], ["scores"], ["import"]):
        out = io.StringIO()
        stdout = sys.stdout
        sys.stdout = out
        try:
            status = main([*argv, "--help"], out=out)
        finally:
            sys.stdout = stdout
        assert status == 0
        assert "usage: main.py" in out.getvalue()


def test_main_py_end_to_end(tmp_path: Path) -> None:
    """The real entry point, as a user types it, in a fresh process."""
    url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    env = dict(os.environ)
    imported = subprocess.run(
        [sys.executable, "main.py", "import", str(SAMPLE_REPORT), "--db", url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "Imported the Gloucestershire report of 2005-01 as inspection 1" in imported.stdout
    scores = subprocess.run(
        [sys.executable, "main.py", "scores", "--json", "--db", url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert scores.returncode == 0, scores.stderr
    document = json.loads(scores.stdout)
    figures = document["frameworks"]
    assert (figures["esi-core"]["sections"], figures["esi-core"]["overall"]) == (
        {"B": 61, "C": 72, "D": 70},
        68,
    )
    assert figures["esi-accommodation"]["sections"] == {"B": 44, "C": 62, "D": 76}
    failed = subprocess.run(
        [sys.executable, "main.py", "scores", "--db", "oracle://x/y"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1


def test_a_damaged_pdf_is_one_line_without_pypdfs_own_warnings(tmp_path: Path) -> None:
    """Issue 10 §9: pypdf's warnings came before our one-line message."""
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer\n")
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    run = subprocess.run(
        [sys.executable, "main.py", "import", str(broken), "--db", url, "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("main.py import: ")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """Issue 10 §9: ``scores | head`` printed a BrokenPipeError traceback."""
    url = f"sqlite:///{tmp_path / 'pipe.sqlite3'}"
    subprocess.run(
        [sys.executable, "main.py", "import", str(SAMPLE_REPORT), "--db", url],
        cwd=ROOT, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    # `true` reads nothing and is gone long before Python writes: every write meets a
    # closed pipe, as with `head` once it has its lines
    piped = subprocess.run(
        f'"{sys.executable}" main.py scores --db "{url}" | true',
        shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert piped.stderr == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, "not a text"),
        (b"Minutes of the Board meeting\n\nApologies were received.\n", "ESI inspection report"),
    ],
    ids=["empty", "binary", "not-a-report"],
)
def test_bad_report_exits_2_and_changes_nothing(
    content: bytes, message: str, db_url: str, tmp_path: Path
) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    before = run("scores", "--db", db_url, "--json")[1]
    bad = tmp_path / "report.txt"
    bad.write_bytes(content)
    status, _, err = run("import", str(bad), "--db", db_url)
    assert status == 2
    assert message.lower() in err.lower()
    assert len(err.strip().splitlines()) == 1
    assert run("scores", "--db", db_url, "--json")[1] == before


def test_cut_off_report_names_what_is_missing(db_url: str, tmp_path: Path) -> None:
    text = SAMPLE_REPORT.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("Score for section C")], encoding="utf-8")
    status, _, err = run("import", str(cut), "--db", db_url)
    assert status == 2
    assert "line" in err


def test_dry_run_json_prints_the_parse_and_stores_nothing(db_url: str, tmp_path: Path) -> None:
    status, out, err = run("import", str(SAMPLE_REPORT), "--db", db_url, "--dry-run", "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["area"] == "Gloucestershire" and document["published"] == "2005-01"
    core = document["frameworks"]["esi-core"]
    assert (core["sections"], core["overall"]) == ({"B": 61, "C": 72, "D": 70}, 68)
    assert core["criteria"]["A1"] == "Partly met" and core["criteria"]["B1"] == 46
    thematic = document["frameworks"]["esi-accommodation"]
    assert (thematic["sections"], thematic["overall"]) == ({"B": 44, "C": 62, "D": 76}, None)
    refs = [(r["ref"], r["framework"]) for r in document["recommendations"]]
    assert refs[0] == ("1", "esi-core") and refs[10] == ("T1", "esi-accommodation")
    assert len(refs) == 15
    assert document["warnings"] == []
    assert not Path(db_url.removeprefix("sqlite:///")).exists()


def _plan_with_late_work(db_url: str) -> None:
    """The sample with a Board meeting, an action with no milestone past its target date, and
    a milestone due soon."""
    from datetime import date

    from esi_desktop import database, plan

    database.connect(db_url)
    try:
        view = plan.load_plan(inspection_id=1, today=date(2005, 3, 20))
        ids = {r.reference: r.id for r in view.recommendations}
        plan.add_board_meeting(inspection_id=1, meeting_date=date(2005, 3, 24))
        plan.add_action(inspection_id=1, recommendation_ids=[ids["3"]], text="Review the caseload",
                        owner="SPO", target_date=date(2005, 3, 10))  # fmt: skip
        audit = plan.add_action(inspection_id=1, recommendation_ids=[ids["6"]],
                                text="Audit risk of harm", owner="ACO",
                                target_date=date(2005, 9, 30))  # fmt: skip
        plan.add_milestone(action_id=audit, title="Sample 40 OASys cases",
                           due_date=date(2005, 3, 25), today=date(2005, 3, 20))  # fmt: skip
    finally:
        database.disconnect()


def test_status_prints_the_dashboard(db_url: str) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    _plan_with_late_work(db_url)
    status, out, err = run("status", "--db", db_url, "--date", "2005-03-20")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Gloucestershire — January 2005 (inspection 1), as of 20 March 2005"
    assert "  Published                     January 2005 (day not known: assumed 1st)" in lines
    assert "  Response and action plan due  1 April 2005 (12 days left)" in lines
    assert "  Implementation due            1 January 2006 (287 days left)" in lines
    assert "  Follow-up inspection          Expected Autumn 2005 (from the report)" in lines
    assert "  Board meetings                24 March 2005 (the plan must be approved here)" in lines
    assert "Actions by RAG: 1 Red · 1 Amber · 0 Green · 0 Blue" in lines
    assert "15 recommendations: 1 Red · 1 Amber · 0 Green · 0 Blue" in out
    overdue = lines.index("Overdue: 1")
    assert lines[overdue + 1] == (
        "  Action AP1 “Review the caseload”, owner SPO, due 10 March 2005: Overdue (10 days); "
        "No milestones"
    )
    assert lines[overdue + 2] == "Due in the next 14 days: 1"
    assert lines[overdue + 3].startswith(
        "  Milestone AP2.1 “Sample 40 OASys cases” (action AP2 “Audit risk of harm”), owner ACO, "
        "due 25 March 2005: Due soon (in 5 days)"
    )
    assert "  No follow-up results yet." in lines
    assert any(line.split() == ["B", "Quality", "of", "assessment", "61%", "—", "—"]
               for line in lines)  # fmt: skip


def test_status_shows_the_latest_follow_up_round(db_url: str) -> None:
    """After a re-inspection is added, the clock's follow-up line is that round's, not the
    first one's (which has reported)."""
    from datetime import date

    from esi_desktop import database, follow_up

    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    database.connect(db_url)
    try:
        follow_up.set_follow_up(inspection_id=1, planned_date=date(2005, 10, 3),
                                status="Reported", today=date(2006, 1, 10))  # fmt: skip
        second = follow_up.add_round(inspection_id=1, kind="Re-inspection")
        follow_up.set_follow_up(inspection_id=1, planned_date=date(2006, 9, 4), status="Scheduled",
                                expected_version=second.version, round=2,
                                today=date(2006, 1, 10))  # fmt: skip
    finally:
        database.disconnect()
    status, out, err = run("status", "--db", db_url, "--date", "2006-08-25")
    assert (status, err) == (0, "")
    assert (
        "  Follow-up inspection          Round 2 (Re-inspection): 4 September 2006 (Scheduled) "
        "(10 days left)"
    ) in out.splitlines()
    status, out, err = run("status", "--json", "--db", db_url, "--date", "2006-08-25")
    assert json.loads(out)["clock"]["follow_up"] == {
        "planned_date": "2006-09-04",
        "status": "Scheduled",
        "expected": "Autumn 2005",
        "round": 2,
        "kind": "Re-inspection",
    }


def test_status_json_has_the_documented_shape(db_url: str) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    _plan_with_late_work(db_url)
    status, out, err = run("--db", db_url, "status", "--json", "--date", "2005-04-04")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert list(document) == [
        "inspection", "today", "clock", "board_meetings", "approval_meeting", "rag", "overdue",
        "due_soon_days", "due_soon", "scores",
    ]  # fmt: skip
    assert document["inspection"]["area"] == "Gloucestershire"
    assert document["today"] == "2005-04-04"
    assert document["clock"]["published"] == "2005-01-01"
    assert document["clock"]["response_due"] == {"date": "2005-04-01", "days_left": -3}
    assert document["clock"]["follow_up"] == {
        "planned_date": None,
        "status": "Not yet scheduled",
        "expected": "Autumn 2005",
        "round": 1,
        "kind": "Follow-up",
    }
    assert document["board_meetings"] == ["2005-03-24"]
    assert document["approval_meeting"] == "2005-03-24"
    assert document["rag"]["actions"] == {"Red": 2, "Amber": 0, "Green": 0, "Blue": 0}
    assert document["rag"]["without_response"] == 15
    # the milestone is now overdue too, after its action (a later date)
    assert [(i["kind"], i["text"], i["days_overdue"]) for i in document["overdue"]] == [
        ("action", "Review the caseload", 25),
        ("milestone", "Sample 40 OASys cases", 10),
    ]
    assert document["overdue"][0]["status"] == "No milestones"
    assert document["due_soon"] == []
    scores = document["scores"]
    assert scores["has_follow_up_results"] is False
    core = scores["frameworks"][0]
    assert core["id"] == "esi-core"
    assert core["rows"][0] == {
        "kind": "score",
        "code": "B",
        "title": "Quality of assessment",
        "baseline": 61,
        "follow_up": None,
        "change": None,
    }
    assert core["rows"][-1]["kind"] == "overall" and core["rows"][-1]["baseline"] == 68


def test_status_without_an_inspection_or_with_an_unknown_one(db_url: str) -> None:
    from esi_desktop import database

    database.connect(db_url)  # an empty database
    database.disconnect()
    status, out, err = run("status", "--db", db_url)
    assert (status, out) == (2, "")
    assert err == (
        "main.py status: This database holds no inspection yet. Import a report with "
        "`main.py import`.\n"
    )
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    status, out, err = run("status", "--db", db_url, "--inspection", "7", "--json")
    assert (status, out) == (2, "")
    assert err.startswith("main.py status: There is no inspection with id 7")
    assert len(err.splitlines()) == 1
