"""Three secretaries saving the same first records at once, as three processes (issue 9 §4).

On SQLite and PostgreSQL, for every round exactly one first save of the response, of the
follow-up inspection and of a follow-up result lands; the others are told whose save won (a
conflict naming them) — never a silent overwrite, never a raw duplicate-key error.
``ESI_RACE_ROUNDS`` sets the rounds (default 60 here; ``bench/race.py`` runs 500).
"""

from __future__ import annotations

import os

import pytest

from tests.first_save_race import race

ROUNDS = int(os.environ.get("ESI_RACE_ROUNDS", "60"))


def test_three_first_saves_at_once_one_wins_the_others_are_told(any_db_url: str) -> None:
    result = race(any_db_url, workers=3, rounds=ROUNDS)
    print("\n" + result.summary(any_db_url.split(":", 1)[0]))
    assert result.raw_errors == []
    assert result.silent_overwrites == []
    assert result.problems == []
    assert result.saves == 3 * 3 * ROUNDS
    # one winner per record, everyone else told
    assert result.ok == 3 * ROUNDS
    assert result.conflicts == 2 * 3 * ROUNDS
    assert any("saved by someone else" in m and "secretary" in m for m in result.conflict_messages)


@pytest.mark.parametrize("kind", ["response", "follow_up", "result"])
def test_the_check_sees_a_silent_overwrite(kind: str) -> None:
    from tests.first_save_race import check, expected_value

    both_ok = [
        [{"kind": kind, "round": 1, "value": "w1-11", "outcome": "ok"}],
        [{"kind": kind, "round": 1, "value": "w2-12", "outcome": "ok"}],
    ]
    stored = {(kind, 1): expected_value(kind, "w2-12")}
    assert len(check(both_ok, stored, expected_value).silent_overwrites) == 1
    one_ok_but_lost = [
        [{"kind": kind, "round": 1, "value": "w1-11", "outcome": "ok"}],
        [{"kind": kind, "round": 1, "value": "w2-12", "outcome": "conflict", "message": "x"}],
    ]
    assert len(check(one_ok_but_lost, stored, expected_value).silent_overwrites) == 1
