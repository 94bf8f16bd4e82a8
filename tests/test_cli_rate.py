"""``main.py rate``: a rated framework's standards added up on the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from esi_desktop import frameworks
from esi_desktop.cli import main

ROOT = Path(__file__).resolve().parent.parent

#: Reading Youth Justice Service (shared/DOMAIN.md): 7 Inadequate, 5 Requires improvement.
READING = [
    "--rating", "1.1=I", "1.2=I", "1.3=i", "1.4=Inadequate", "2.1=I", "2.2=I", "2.3=I",
    "--rating", "2.4=RI", "3.1=ri", "3.2=Requires improvement",
    "--rating", "3.3=requires", "improvement",  # typed without quotes
    "--rating", "3.4=RI",
    "--rating", "4.1=not rated",
]  # fmt: skip


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_reading_case_as_a_table() -> None:
    status, out, err = run("rate", "hmip-youth-2021", *READING)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "HM Inspectorate of Probation: youth justice standards (2021)"
    assert "  1 Organisational delivery" in lines
    assert "  4 Resettlement" in lines
    governance = next(line for line in lines if "1.1" in line)
    assert governance.split() == ["1.1", "Governance", "and", "leadership", "Inadequate", "0"]
    reviewing = next(line for line in lines if "2.4" in line)
    assert reviewing.split()[-3:] == ["Requires", "improvement", "1"]
    resettlement = next(line for line in lines if line.strip().startswith("4.1"))
    assert "Not rated" in resettlement
    assert resettlement.endswith("—  (not counted: rated apart, not rated)")
    assert lines[-3].split() == ["Total", "5", "/", "36"]
    assert lines[-2].split() == ["Overall", "rating", "Inadequate"]
    assert lines[-1] == (
        "  Not counted: 4.1 Resettlement policy and provision (rated apart, not rated)"
    )
    # the total and the overall rating end under the points column
    assert len(lines[-3]) == len(lines[-2]) == len(governance)


def test_the_reading_case_as_json() -> None:
    status, out, err = run("rate", "hmip-youth-2021", "--json", *READING)
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert (document["score"], document["max"], document["band"]) == (5, 36, "Inadequate")
    assert document["framework"] == "hmip-youth-2021"
    assert document["overall_rule"] == "bands"
    assert list(document["ratings"].values()) == (
        ["Inadequate"] * 7 + ["Requires improvement"] * 5 + ["Not rated"]
    )
    assert document["points"]["1.1"] == 0 and document["points"]["3.4"] == 1
    assert document["points"]["4.1"] is None
    assert document["not_counted"] == [
        {
            "code": "4.1",
            "title": "Resettlement policy and provision",
            "rating": "Not rated",
            "why": "rated apart, not rated",
        }
    ]
    assert document["not_rated"] == ["4.1"]


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "Inadequate"), (6, "Inadequate"), (7, "Requires improvement"),
     (18, "Requires improvement"), (19, "Good"), (30, "Good"), (31, "Outstanding"),
     (36, "Outstanding")],
)  # fmt: skip
def test_every_band_boundary_through_the_command(total: int, band: str) -> None:
    codes = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]
    short = {3: "O", 2: "G", 1: "RI", 0: "I"}
    typed = []
    left = total
    for code in codes:
        points = min(3, left)
        left -= points
        typed.append(f"{code}={short[points]}")
    status, out, err = run("rate", "hmip-youth-2021", "--json", "--rating", *typed)
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert (document["score"], document["max"], document["band"]) == (total, 36, band)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rate", "hmip-2099", *READING],
         "'hmip-2099' is not a framework this version knows; the rated frameworks are "
         "hmip-youth-2021."),
        (["rate", "esi-core", *READING],
         "'esi-core' is a scored framework, not a rated one; the rated frameworks are "
         "hmip-youth-2021."),
        (["rate", "hmip-youth-2021", *READING, "--rating", "5.1=G"],
         "The Youth justice standards 2021 framework has no standard '5.1'; its standards are "
         "1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 3.4, 4.1."),
        (["rate", "hmip-youth-2021", *READING[:-2], "--rating", "4.1=Brilliant"],
         "'Brilliant' is not a rating for standard 4.1 (Resettlement policy and provision): "
         "choose Outstanding (O), Good (G), Requires improvement (RI), Inadequate (I) or Not "
         "rated."),
        (["rate", "hmip-youth-2021", "--rating", "1.1=not rated", *READING[2:]],
         "Standard 1.1 (Governance and leadership) must be rated (only 4.1 may be not rated): "
         "choose Outstanding (O), Good (G), Requires improvement (RI) or Inadequate (I)."),
        (["rate", "hmip-youth-2021", "--rating", "1.2=I"],
         "Standards 1.1, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3 and 3.4 have no rating: "
         "give each one of Outstanding (O), Good (G), Requires improvement (RI) or Inadequate "
         "(I)."),
        (["rate", "hmip-youth-2021", *READING, "--rating", "1.1=G"],
         "Standard 1.1 is rated twice (I and G); give each standard one rating."),
        (["rate", "hmip-youth-2021", *READING, "--overall", "Good"],
         "The overall rating given, Good, is not the one the Youth justice standards 2021 bands "
         "give a total of 5 / 36 (Inadequate); correct the ratings or leave the overall rating "
         "out."),
    ],
    ids=["unknown-framework", "scored-framework", "unknown-standard", "unknown-rating",
         "not-rated-refused", "missing", "rated-twice", "overall-disagrees"],
)  # fmt: skip
def test_each_refusal_is_one_sentence_and_exit_2(argv: list[str], message: str) -> None:
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    assert err == f"main.py rate: {message}\n"


def test_a_word_before_any_code_is_refused_by_the_parser_of_ratings() -> None:
    status, out, err = run("rate", "hmip-youth-2021", "--rating", "Good", "1.1=G")
    assert (status, out) == (2, "")
    assert err.startswith("main.py rate: 'Good' is not CODE=RATING;")
    assert err.count("\n") == 1


def test_a_second_rated_framework_published_overall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rated framework with five grades and no public rule is a file: no code changes."""
    (tmp_path / "peel.toml").write_text(
        """
id = "hmicfrs-peel-test"
kind = "rated"
title = "HMICFRS PEEL (test)"
short_title = "PEEL"
overall = "as published"

[[ratings]]
name = "Outstanding"
short = "O"
points = 4

[[ratings]]
name = "Good"
short = "G"
points = 3

[[ratings]]
name = "Adequate"
short = "A"
points = 2

[[ratings]]
name = "Requires improvement"
short = "RI"
points = 1

[[ratings]]
name = "Inadequate"
short = "I"
points = 0

[[domains]]
code = "P"
title = "Police effectiveness"

[[standards]]
code = "P1"
domain = "P"
title = "Preventing crime"

[[standards]]
code = "P2"
domain = "P"
title = "Responding to the public"
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        frameworks, "shipped_frameworks", lambda: frameworks.load_frameworks(tmp_path)
    )
    status, out, err = run("rate", "hmicfrs-peel-test", "--rating", "P1=adequate", "P2=O")
    assert (status, err) == (0, "")
    assert out.splitlines()[-2].split() == ["Total", "6", "/", "8"]
    assert out.splitlines()[-1] == (
        "  Overall rating: not computed: the PEEL framework publishes no rule for it; enter "
        "the overall rating as the report gives it"
    )
    status, out, err = run(
        "rate", "hmicfrs-peel-test", "--json", "--rating", "P1=A", "P2=O", "--overall", "good"
    )
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert (document["score"], document["max"], document["band"]) == (6, 8, "Good")
    assert document["overall_rule"] == "as published"
    assert document["not_counted"] == []
    status, out, _ = run("rate", "hmicfrs-peel-test", "--json", "--rating", "P1=A", "P2=O")
    assert json.loads(out)["band"] is None
    status, _, err = run("rate", "hmip-youth-2021", "--rating", "1.1=G")
    assert status == 2
    assert "the rated frameworks are hmicfrs-peel-test." in err


def test_rate_end_to_end_through_main_py() -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "rate", "hmip-youth-2021", "--json", *READING],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["score"], document["max"], document["band"]) == (5, 36, "Inadequate")
    refused = subprocess.run(
        [sys.executable, "main.py", "rate", "youth"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr == (
        "main.py rate: 'youth' is not a framework this version knows; the rated frameworks are "
        "hmip-youth-2021.\n"
    )
