"""Race of first saves (issue 9 §4): 3 processes × 500 first saves of the same records.

Each round, three secretaries (operating-system processes) save the same first response,
follow-up inspection and follow-up result at once (tests/first_save_race.py). Printed per
backend: saves, winners, conflicts, **silent overwrites (must be 0)** and **raw errors (must be
0)**, and the time per save as a ratio over ONE process making the same saves alone in the
same run (the cost of meeting another first save). Exits with 1 if anything was overwritten
silently or failed raw.

Run: ``uv run python bench/race.py [--rounds 500] [--backend sqlite|postgresql|both]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import argparse  # noqa: E402
import contextlib  # noqa: E402

from stress import Databases, bench_places  # noqa: E402

from tests.first_save_race import race  # noqa: E402


def bench_backend(databases: Databases, rounds: int, workers: int) -> bool:
    label = databases.backend
    url, _ = databases.new("race-alone")
    alone = race(url, workers=1, rounds=rounds)
    print(alone.summary(f"{label}, 1 process × {rounds} rounds (baseline)"), flush=True)
    url, _ = databases.new("race-shared")
    shared = race(url, workers=workers, rounds=rounds)
    print(shared.summary(f"{label}, {workers} processes × {rounds} rounds"), flush=True)
    for line in (shared.silent_overwrites + shared.raw_errors + shared.problems)[:5]:
        print("   ", line)
    per_alone = alone.seconds / alone.saves
    per_shared = shared.seconds / shared.saves
    print(
        f"{label}: {per_shared * 1000:.2f} ms per save racing over {per_alone * 1000:.2f} ms "
        f"alone = {per_shared / per_alone:.2f}×; silent overwrites "
        f"{len(shared.silent_overwrites)}, raw errors {len(shared.raw_errors)}",
        flush=True,
    )
    return not (shared.silent_overwrites or shared.raw_errors or shared.problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=500, help="first saves per process")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to use")
    args = parser.parse_args()
    good = True
    with contextlib.ExitStack() as stack:
        folder, admin_url, backends = bench_places(stack, args.backend, args.postgres, "race")
        for backend in backends:
            databases = Databases(backend, folder, admin_url)
            try:
                good = bench_backend(databases, args.rounds, args.workers) and good
            finally:
                databases.drop_all()
    if not good:
        print("FAILED: a silent overwrite or a raw error above")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
