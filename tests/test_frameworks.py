"""The framework files and their loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_desktop.errors import FrameworkError
from esi_desktop.frameworks import (
    ResultKind,
    builtin_frameworks,
    get_framework,
    load_framework,
    load_frameworks,
)
from esi_desktop.resources import FRAMEWORKS_DIR


def test_both_frameworks_ship() -> None:
    assert list(builtin_frameworks()) == ["esi-accommodation", "esi-core"]


def test_core_framework_is_as_domain_gives_it() -> None:
    core = get_framework("esi-core")
    assert [s.code for s in core.sections] == ["A", "B", "C", "D"]
    assert {s.code: s.weight for s in core.scored_sections} == {"B": 30, "C": 40, "D": 30}
    assert core.has_overall
    assert [c.code for c in core.section("A").criteria] == ["A1", "A2", "A3", "A4", "A5"]
    assert all(c.kind is ResultKind.RATING for c in core.section("A").criteria)
    assert core.criterion("D3").kind is ResultKind.RATING
    assert core.criterion("D3").title == (
        "Outcomes of interventions are assessed and reviewed using available data"
    )
    weights = {c.code: c.weight for c in core.criteria if c.is_scored}
    assert weights == {
        "B1": 2, "B2": 2, "B3": 2, "B4": 1,
        "C1": 2, "C2": 2, "C3": 2, "C4": 1, "C5": 2,
        "D1": 2, "D2": 1, "D4": 2,
    }  # fmt: skip
    assert core.rating_scale == (
        "Very well met", "Well met", "Satisfactorily met", "Partly met", "Not met", "Poor"
    )  # fmt: skip


def test_accommodation_framework_is_as_domain_gives_it() -> None:
    thematic = get_framework("esi-accommodation")
    assert not thematic.has_overall
    assert thematic.report_heading == "THEMATIC ELEMENT: OFFENDER ACCOMMODATION"
    rated = [c.code for c in thematic.criteria if c.kind is ResultKind.RATING]
    assert rated == ["A1", "A2", "A3", "A4", "A5", "D2"]
    assert {c.code: c.weight for c in thematic.criteria if c.is_scored} == {
        "B1": 2, "B2": 2, "B3": 2, "B4": 2, "B5": 1, "C1": 2, "C2": 2, "C3": 2, "D1": 2,
    }  # fmt: skip
    assert thematic.criterion("B1").title == "Assessment of accommodation needs"


def test_unknown_code_and_rating_are_refused_clearly() -> None:
    core = get_framework("esi-core")
    with pytest.raises(FrameworkError, match="no criterion 'Z9'"):
        core.criterion("Z9")
    with pytest.raises(FrameworkError, match="not a rating"):
        core.rating_rank("Brilliant")
    with pytest.raises(FrameworkError, match="Unknown framework 'esi-2099'"):
        get_framework("esi-2099")


def test_rating_rank_forgives_case_and_spacing() -> None:
    core = get_framework("esi-core")
    assert core.rating_rank("PARTLY  MET") == 3
    assert core.rating_rank("Very well met") == 0


def _write_variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = (FRAMEWORKS_DIR / "esi-core.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('code = "B4"\nsection = "B"\ntitle = "Documentation"\nresult = "percent"\n'
         'importance = "important"', 'code = "B4"\nsection = "B"\ntitle = "Documentation"\n'
         'result = "percent"', "criterion B4 has no importance weight"),
        ('section = "C"', 'section = "Q"', "criterion C1 names an unknown section 'Q'"),
        ('code = "B2"', 'code = "B1"', "criterion B1 appears twice"),
        ("weight = 40", "weight = 45", "the section weights add up to 105, not 100"),
        ("weight = 40\n", "\n", "section C is scored but has no weight"),
        ('result = "percent"', 'result = "fraction"', "must have result = 'percent' or 'rating'"),
        ("critical = 2", "critical = 0", "must be a whole number above 0"),
        ('id = "esi-core"', "id = ", "not readable TOML"),
    ],
    ids=["missing-weight", "unknown-section", "duplicate-code", "weights-105",
         "weight-missing", "bad-result-kind", "zero-weight", "bad-toml"],
)  # fmt: skip
def test_malformed_framework_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _write_variant(tmp_path, old, new)
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert message in str(caught.value)
    assert "variant.toml" in str(caught.value)


def test_missing_framework_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="missing"):
        load_framework(tmp_path / "nothing.toml")


def test_adding_a_framework_is_adding_a_file(tmp_path: Path) -> None:
    text = (FRAMEWORKS_DIR / "esi-core.toml").read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(
        text.replace('id = "esi-core"', 'id = "esi-2007"'), encoding="utf-8"
    )
    assert list(load_frameworks(tmp_path)) == ["esi-core", "esi-2007"]
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match="already used"):
        load_frameworks(tmp_path)
