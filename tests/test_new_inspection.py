"""``main.py new-inspection`` and the use case behind it: a rated inspection without a report."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest

from db.models import CriterionResult, Inspection, Recommendation
from esi_desktop import database
from esi_desktop.cli import main
from esi_desktop.errors import ValidationError
from esi_desktop.new_inspection import (
    NewRecommendation,
    check_rated_inspection,
    create_rated_inspection,
    read_recommendations_file,
)
from esi_desktop.report.pasted import NOTHING_FOUND
from tests.rated_fixtures import (
    BODY,
    FRAMEWORK,
    READING_ADDRESSEES,
    READING_PASTE,
    READING_RATINGS,
    create_reading,
)

RATINGS = [f"{code}={rating}" for code, rating in READING_RATINGS.items()]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def pasted(tmp_path: Path) -> Path:
    path = tmp_path / "recommendations.txt"
    path.write_text(READING_PASTE, encoding="utf-8")
    return path


def new_inspection(
    url: str, recommendations: Path, *extra: str, ratings: list[str] = RATINGS
) -> tuple[int, str, str]:
    return run(
        "new-inspection",
        "--framework", FRAMEWORK,
        "--body", BODY,
        "--published", "03/12/2024",
        "--rating", *ratings,
        "--recommendations", str(recommendations),
        "--db", url,
        *extra,
    )  # fmt: skip


@pytest.fixture
def stored(db_url: str) -> Iterator[None]:
    """After the command ran: the database opened to look at what it stored."""
    yield
    database.disconnect()


def count_inspections(url: str) -> int:
    database.connect(url)
    try:
        return int(Inspection.select().count())
    finally:
        database.disconnect()


def test_the_published_case_through_the_command(any_db_url: str, pasted: Path) -> None:
    status, out, err = new_inspection(any_db_url, pasted)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"Created inspection 1: {BODY}, published 3 December 2024 (Youth justice standards 2021)."
    )
    assert lines[1] == "Total 5 / 36; overall rating: Inadequate."
    assert lines[2] == (
        "Rated apart, not counted: 4.1 Resettlement policy and provision: Not rated."
    )
    assert lines[3] == "8 recommendations: YJS Service Manager 5, Management Board 3."
    assert lines[4].startswith("Reminder: the Youth justice standards 2021 framework fixes no "
                               "response deadline")  # fmt: skip
    assert "--agreed-response-due" in lines[4] and "Edit inspection" in lines[4]
    database.connect(any_db_url)
    try:
        inspection = Inspection.get()
        assert (inspection.area, inspection.published_day) == (BODY, 3)
        assert (inspection.published_month, inspection.published_year) == (12, 2024)
        assert inspection.response_due_fixed is False
        assert inspection.report_title == f"Inspection of {BODY}"
        ratings = {r.code: r.rating for r in CriterionResult.select()}
        assert ratings["4.1"] == "Not rated" and ratings["1.2"] == "Inadequate"
        assert list(ratings.values()).count("Inadequate") == 7
        recommendations = list(Recommendation.select().order_by(Recommendation.position))
        assert tuple(r.addressee for r in recommendations) == READING_ADDRESSEES
        assert [r.reference for r in recommendations] == [str(n) for n in range(1, 9)]
        assert recommendations[5].stem == "The Management Board should:"
        assert recommendations[0].text.startswith("improve quality assurance")
    finally:
        database.disconnect()


def test_json_gives_the_figures_the_recommendations_and_the_warnings(
    db_url: str, tmp_path: Path
) -> None:
    paste = tmp_path / "with-a-gap.txt"
    paste.write_text(READING_PASTE.replace("5. pay", "7. pay"), encoding="utf-8")
    status, out, err = new_inspection(
        db_url,
        paste,
        "--json",
        "--agreed-response-due", "20/12/2024",
        "--agreed-reason", "Agreed by the Management Board on 10 December 2024",
        "--title", "An inspection of youth justice services in Reading",
    )  # fmt: skip
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["inspection_id"] == 1
    assert (document["score"], document["max"], document["band"]) == (5, 36, "Inadequate")
    assert document["not_counted"][0]["code"] == "4.1"
    assert document["not_counted"][0]["rating"] == "Not rated"
    assert [r["addressee"] for r in document["recommendations"]] == list(READING_ADDRESSEES)
    assert document["recommendations"][4] == {
        "reference": "5",
        "addressee": "YJS Service Manager",
        "text": "pay attention to the needs and wishes of victims.",
    }
    assert document["warnings"][0] == (
        "Line 11: recommendation 7 comes after recommendation 4; check that nothing is missing "
        "from the paste."
    )
    assert document["agreed_response_due"] == "2024-12-20"
    assert document["reminder"] is None
    assert document["report_title"] == "An inspection of youth justice services in Reading"
    database.connect(db_url)
    try:
        inspection = Inspection.get()
        assert inspection.agreed_response_due == date(2024, 12, 20)
        assert inspection.agreed_response_reason.startswith("Agreed by the Management Board")
    finally:
        database.disconnect()


def test_a_file_from_notepad_in_windows_1252_is_read(db_url: str, tmp_path: Path) -> None:
    paste = tmp_path / "ansi.txt"
    text = READING_PASTE.replace("victims.", "victims’ families – and the victims.")
    paste.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    status, out, err = new_inspection(db_url, paste, "--json")
    assert (status, err) == (0, "")
    fifth = json.loads(out)["recommendations"][4]["text"]
    assert fifth == "pay attention to the needs and wishes of victims’ families – and the victims."


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    paste = tmp_path / "bom.txt"
    paste.write_bytes(b"\xef\xbb\xbf" + READING_PASTE.encode("utf-8"))
    assert read_recommendations_file(paste) == READING_PASTE


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("--rating", "1.1=Excellent"), "'Excellent' is not a rating for standard 1.1"),
        (("--rating", "1.1=RI", "9.9=Good"), "has no standard '9.9'"),
        (("--rating", "1.1=RI", "--agreed-response-due", "20/12/2024"), "needs its reason"),
        (("--rating", "1.1=RI", "--agreed-reason", "board"), "no agreed response date"),
        (
            ("--rating", "1.1=RI", "--agreed-response-due", "01/12/2024", "--agreed-reason", "x"),
            "is not after",
        ),
    ],
)
def test_each_refusal_is_one_sentence_and_stores_nothing(
    db_url: str, pasted: Path, change: tuple[str, ...], expected: str
) -> None:
    status, out, err = new_inspection(db_url, pasted, *change, ratings=RATINGS[1:])
    assert (status, out) == (2, "")
    assert expected in err and err.count("\n") == 1
    assert not Path(db_url.removeprefix("sqlite:///")).exists()  # not even created


def test_a_missing_rating_is_refused(db_url: str, pasted: Path) -> None:
    status, out, err = run(
        "new-inspection", "--framework", FRAMEWORK, "--body", BODY, "--published", "2024-12-03",
        "--rating", *RATINGS[1:], "--recommendations", str(pasted), "--db", db_url,
    )  # fmt: skip
    assert status == 2 and out == ""
    assert "Standard 1.1 (Governance and leadership) has no rating" in err


def test_an_unreadable_or_empty_file_is_refused(db_url: str, tmp_path: Path) -> None:
    status, _out, err = new_inspection(db_url, tmp_path / "missing.txt")
    assert status == 2 and "could not be read" in err and "missing.txt" in err
    empty = tmp_path / "notes.txt"
    empty.write_text("Some notes about the inspection, with no list in them.\n", encoding="utf-8")
    status, _out, err = new_inspection(db_url, empty)
    assert status == 2 and NOTHING_FOUND in err
    binary = tmp_path / "report.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    status, _out, err = new_inspection(db_url, binary)
    assert status == 2 and "is not text" in err
    assert not Path(db_url.removeprefix("sqlite:///")).exists()


def test_the_same_inspection_twice_is_refused(any_db_url: str, pasted: Path) -> None:
    assert new_inspection(any_db_url, pasted)[0] == 0
    status, out, err = run(
        "new-inspection", "--framework", FRAMEWORK, "--body", "  reading youth justice   service",
        "--published", "3/12/2024", "--rating", *RATINGS, "--recommendations", str(pasted),
        "--db", any_db_url,
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert "is already stored as inspection 1" in err
    assert count_inspections(any_db_url) == 1


def test_a_scored_framework_is_refused(db_url: str, pasted: Path) -> None:
    status, _out, err = run(
        "new-inspection", "--framework", "esi-2003", "--body", BODY, "--published", "03/12/2024",
        "--recommendations", str(pasted), "--db", db_url,
    )  # fmt: skip
    assert status == 2 and err.count("\n") == 1


def test_the_use_case_refuses_without_the_database(db: peewee.Database) -> None:
    create_reading()
    fields = {
        "framework_id": FRAMEWORK,
        "body": BODY,
        "published": date(2024, 12, 3),
        "ratings": READING_RATINGS,
        "recommendations": [NewRecommendation("improve oversight", "YJS Service Manager")],
    }
    result = check_rated_inspection(**fields)  # needs no database: no duplicate check
    assert (result.score, result.band) == (5, "Inadequate")
    with pytest.raises(ValidationError) as refused:
        create_rated_inspection(**fields)
    assert refused.value.field == "body"
    with pytest.raises(ValidationError) as refused:
        create_rated_inspection(**{**fields, "recommendations": [NewRecommendation(" ", "x")]})
    assert str(refused.value) == "Recommendation 1 has no text: type it or remove it."
    assert Inspection.select().count() == 1


def test_a_recommendation_under_no_heading_is_refused_by_the_command(
    db_url: str, tmp_path: Path
) -> None:
    paste = tmp_path / "no-heading.txt"
    paste.write_text(READING_PASTE.replace("The YJS Service Manager should:\n", ""), "utf-8")
    status, out, err = new_inspection(db_url, paste)
    assert (status, out) == (2, "")
    assert err.startswith(
        "main.py new-inspection: Recommendation 1 is addressed to no one: give the person or body"
    )
    assert len(err.strip().splitlines()) == 1
    # refused before the database is opened: none is created
    assert not Path(db_url.removeprefix("sqlite:///")).exists()
