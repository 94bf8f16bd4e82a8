"""``main.py attach`` and ``main.py evidence`` (issue 15 §1), run in process."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from db.models import Evidence, Recommendation
from esi_desktop import database, plan
from esi_desktop.cli import main
from esi_desktop.inspections import list_inspections
from esi_desktop.resources import SAMPLE_REPORT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def plan_url(db_url: str) -> str:
    """The sample with AP1 (serving recommendation 3) and its milestone AP1.1."""
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    database.connect(db_url)
    try:
        three = Recommendation.get(Recommendation.reference == "3").id
        action_id = plan.add_action(
            inspection_id=list_inspections()[0].id, recommendation_ids=[three],
            text="Audit", owner="ACO", target_date=date(2005, 12, 1),
        )  # fmt: skip
        plan.add_milestone(
            action_id=action_id, title="Minutes", due_date=date(2005, 6, 1),
            today=date(2005, 3, 1),
        )  # fmt: skip
    finally:
        database.disconnect()
    return db_url


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    a = tmp_path / "Minutes 12 May.pdf"
    a.write_bytes(b"%PDF-1.4 minutes")
    b = tmp_path / "Audit.xlsx"
    b.write_bytes(b"PK\x03\x04" + b"x" * 3000)
    return [a, b]


def stored() -> int:
    return Evidence.select().count()


def test_attach_prints_what_was_attached_and_evidence_lists_it(
    plan_url: str, files: list[Path]
) -> None:
    status, out, err = run("attach", "AP1.1", *map(str, files), "--db", plan_url)
    assert (status, err) == (0, "")
    assert out == "Attached 2 files to AP1.1: Minutes 12 May.pdf (16 bytes), Audit.xlsx (3 KB).\n"
    status, out, err = run("attach", "Rec 3", str(files[0]), "--db", plan_url)
    assert (status, err) == (0, "")
    assert out == "Attached 1 file to recommendation 3: Minutes 12 May.pdf (16 bytes).\n"
    status, out, err = run("evidence", "--db", plan_url)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "3 evidence files (3 KB in all), item by item in the plan's order:"
    # grouped by item in the plan's order: the recommendation first, then its action's milestone
    headings = [line for line in lines if line and not line.startswith(" ")][1:]
    assert headings == ["Recommendation 3", "Milestone AP1.1"]
    digest = hashlib.sha256(files[0].read_bytes()).hexdigest()
    rows = [line.split() for line in lines if line.startswith("  Minutes") or "Audit" in line]
    assert rows[0][:6] == ["Minutes", "12", "May.pdf", "PDF", "16", "bytes"]
    assert rows[0][6] == digest[:12]
    assert rows[2][:4] == ["Audit.xlsx", "Excel", "3", "KB"]


def test_attach_and_evidence_as_json(plan_url: str, files: list[Path]) -> None:
    status, out, err = run("attach", "ap1", str(files[0]), "--db", plan_url, "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["item"] == "AP1"
    [attached] = document["attached"]
    digest = hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert attached["name"] == "Minutes 12 May.pdf" and attached["sha256"] == digest
    assert attached["media_type"] == "application/pdf" and attached["size"] == 16
    assert attached["attached_at"].endswith("Z")
    status, out, err = run("evidence", "--db", plan_url, "--json")
    assert (status, err) == (0, "")
    listed = json.loads(out)
    assert listed == [attached]
    assert set(listed[0]) == {"id", "item_kind", "item_reference", "name", "media_type", "size",
                              "sha256", "attached_by", "attached_at"}  # fmt: skip


def test_evidence_says_when_there_is_none(plan_url: str) -> None:
    status, out, err = run("evidence", "--db", plan_url)
    assert (status, err) == (0, "")
    assert out.startswith("No evidence is attached to this inspection's plan yet")


@pytest.mark.parametrize(
    ("reference", "said"),
    [
        ("AP9", "There is no AP9 in this inspection's plan; references run AP1 to AP1."),
        ("AP1.4", "There is no AP1.4 in this inspection's plan; AP1's milestones run AP1.1 to"),
        ("12", "There is no recommendation 12 in this inspection; its recommendations are 1 to"),
    ],
)
def test_an_unknown_reference_is_one_line_and_exit_2(
    plan_url: str, files: list[Path], reference: str, said: str
) -> None:
    status, out, err = run("attach", reference, str(files[0]), "--db", plan_url)
    assert (status, out) == (2, "")
    assert err.startswith(f"main.py attach: {said}")
    assert err.count("\n") == 1


def test_a_missing_file_attaches_nothing(plan_url: str, files: list[Path]) -> None:
    missing = files[0].with_name("missing.pdf")
    status, out, err = run("attach", "3", str(files[0]), str(missing), str(files[1]),
                           "--db", plan_url)  # fmt: skip
    assert (status, out) == (2, "")
    assert err == (
        f"main.py attach: There is no file at {missing}, so nothing was attached; check the path.\n"
    )
    database.connect(plan_url)
    try:
        assert stored() == 0
    finally:
        database.disconnect()


def test_evidence_of_a_database_with_two_inspections_needs_one_chosen(
    plan_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "northshire.txt"
    other.write_text(
        SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Northshire"),
        encoding="utf-8",
    )
    assert run("import", str(other), "--db", plan_url)[0] == 0
    status, _, err = run("evidence", "--db", plan_url)
    assert status == 2 and "choose one with --inspection ID" in err
    status, out, _ = run("evidence", "--db", plan_url, "--inspection", "2")
    assert status == 0 and out.startswith("No evidence")
