"""Recommendations are quoted as the report prints them: with the words it introduces them with."""

from __future__ import annotations

import io
from datetime import date

import peewee
from pypdf import PdfReader

from db.models import Recommendation
from esi_desktop import audit
from esi_desktop.export import render_response, response_content
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import load_plan
from esi_desktop.report import importer as report_import

TODAY = date(2005, 6, 1)
MAIN = "The Probation Board should ensure that:"
THEMATIC = "The Probation Board should ensure that the area:"


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def test_the_plan_reads_each_recommendations_stem(sample_db: peewee.Database) -> None:
    plan = load_plan(inspection_id=list_inspections()[0].id, today=TODAY)
    stems = {r.reference: r.stem for r in plan.recommendations}
    assert stems["1"] == stems["10"] == MAIN
    assert stems["T1"] == stems["T5"] == THEMATIC


def test_the_response_quotes_each_recommendation_with_its_stem(
    sample_db: peewee.Database,
) -> None:
    words = pdf_text(render_response(inspection_id=list_inspections()[0].id, today=TODAY))
    # each recommendation is read on its own page or part of one, so each carries its stem,
    # set just before its words as the report sets its list beneath it
    for recommendation in Recommendation.select():
        quoted = " ".join(f"{recommendation.stem} {recommendation.text}".split())
        assert quoted in words, recommendation.reference
    assert words.count(THEMATIC) == 5
    assert words.count(MAIN) == 10


def test_a_recommendation_without_a_stem_is_quoted_alone(sample_db: peewee.Database) -> None:
    Recommendation.update(stem="").where(Recommendation.reference == "3").execute()
    words = pdf_text(render_response(inspection_id=list_inspections()[0].id, today=TODAY))
    three = " ".join(Recommendation.get(Recommendation.reference == "3").text.split())
    assert three in words
    assert f"{MAIN} {three}" not in words
    assert words.count(MAIN) == 9


def test_a_stem_the_fonts_cannot_print_is_named(sample_db: peewee.Database) -> None:
    Recommendation.update(stem="The Board 👍 should ensure that:").where(
        Recommendation.reference == "3"
    ).execute()
    content = response_content(inspection_id=list_inspections()[0].id, today=TODAY)
    messages = [item.message for item in content.unprintable]
    assert len(messages) == 1 and messages[0].startswith("The introduction to recommendation 3")


def test_a_refresh_that_changes_a_stem_is_in_the_history(sample_db: peewee.Database) -> None:
    four = Recommendation.get(Recommendation.reference == "4")
    Recommendation.update(stem="").execute()  # as a database imported before stems were kept
    with audit.acting_as("importer"):
        report_import.load_sample()
    entries = [
        e
        for e in audit.history(item_kind=audit.RECOMMENDATION, item_id=four.id)
        if e.field == "stem"
    ]
    assert [(e.field_label, e.old_value, e.new_value, e.changed_by) for e in entries] == [
        ("Opening words as printed", "", MAIN, "importer")
    ]
