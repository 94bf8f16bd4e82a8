"""Stress at full counts, on SQLite and PostgreSQL: issue 6's concurrency and crash figures.

- concurrency: 2 processes × 500 random versioned edits on the same rows (tests/edit_worker.py):
  edits ok, conflicts, errors, lost updates, wall time, and edits per second as a ratio over
  the same number of edits made by ONE process alone in the same run (the cost of sharing);
- crash: a writer (tests/crash_writer.py) killed with SIGKILL 50 times at random moments:
  announced commits, problems (a database that will not open, quick_check, a lost or
  half-written commit), wall time.

PostgreSQL: ``--postgres URL`` or ``ESI_TEST_POSTGRES_URL`` (a user allowed to create
databases), otherwise a private server is started from the local binaries (``initdb``,
``pg_ctl``) and stopped at the end. Exits with 1 when anything was lost or failed.
Run: ``uv run python bench/stress.py [--edits 500] [--kills 50] [--backend sqlite]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402

from tests.crash_writer import crash_runs, crash_summary  # noqa: E402
from tests.edit_worker import stress  # noqa: E402
from tests.postgres_server import admin_execute, private_server  # noqa: E402


class Databases:
    """Fresh empty databases on one backend: SQLite files, or databases on one server."""

    def __init__(self, backend: str, folder: Path, admin_url: str | None) -> None:
        self.backend = backend
        self.folder = folder
        self.admin_url = admin_url
        self.made: list[str] = []

    def new(self, name: str) -> tuple[str, Path]:
        """A new database's URL and a folder for its logs."""
        work = self.folder / f"{self.backend}-{name}"
        work.mkdir()
        if self.backend == "sqlite":
            return f"sqlite:///{work / 'esi.sqlite3'}", work

        assert self.admin_url is not None
        database = f"esi_bench_{os.getpid()}_{name}"
        admin_execute(self.admin_url, f'CREATE DATABASE "{database}"')
        self.made.append(database)
        return f"{self.admin_url.rsplit('/', 1)[0]}/{database}", work

    def drop_all(self) -> None:
        for database in self.made:
            admin_execute(self.admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def bench_places(
    stack: contextlib.ExitStack, backend: str, postgres: str | None, name: str
) -> tuple[Path, str | None, list[str]]:
    """A work folder, a PostgreSQL admin URL and the backends to run ("both" or one).

    The server is ``postgres``, else ``ESI_TEST_POSTGRES_URL``, else a private one started
    from the local binaries (stopped when ``stack`` closes); without any, PostgreSQL is skipped.
    """
    backends = ["sqlite", "postgresql"] if backend == "both" else [backend]
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"esi-{name}-")))
    admin_url = postgres or os.environ.get("ESI_TEST_POSTGRES_URL")
    if "postgresql" in backends and not admin_url:
        admin_url = stack.enter_context(private_server(durable=True, prefix="esi-bench-postgres-"))
        if admin_url is None:
            print("postgresql: skipped, no server given and no PostgreSQL binaries found")
            backends.remove("postgresql")
    return folder, admin_url, backends


def bench_backend(databases: Databases, edits: int, kills: int, slow_commit_ms: float) -> bool:
    """Run and print one backend's figures; True when nothing was lost or failed."""
    label = databases.backend
    url, work = databases.new("alone")
    alone = stress(url, work, edits=2 * edits, processes=1, slow_commit_ms=slow_commit_ms)
    print(alone.summary(f"{label}, 1 process × {2 * edits} edits (baseline)"), flush=True)
    url, work = databases.new("shared")
    shared = stress(url, work, edits=edits, processes=2, slow_commit_ms=slow_commit_ms)
    print(shared.summary(f"{label}, 2 processes × {edits} edits"), flush=True)
    for line in shared.errors[:5] + shared.problems[:5]:
        print("   ", line)
    alone_rate = alone.attempts / alone.seconds
    shared_rate = shared.attempts / shared.seconds
    print(
        f"{label}: {shared_rate:.0f} edits/s shared over {alone_rate:.0f} edits/s alone = "
        f"{shared_rate / alone_rate:.2f}× ({shared.ok / shared.seconds:.0f} ok edits/s shared)",
        flush=True,
    )
    good = not shared.errors and not shared.problems and not alone.errors and not alone.problems
    if kills > 0:
        url, _ = databases.new("crash")
        results, seconds = crash_runs(url, kills, seed=6)
        print(crash_summary(f"{label}, crash", results, seconds), flush=True)
        problems = [p for r in results for p in r.problems]
        for line in problems[:5]:
            print("   ", line)
        good = good and not problems
    return good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=500, help="edits per process")
    parser.add_argument("--kills", type=int, default=50, help="writers killed per backend")
    parser.add_argument("--slow-commit-ms", type=float, default=0.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to use")
    args = parser.parse_args()
    good = True
    with contextlib.ExitStack() as stack:
        folder, admin_url, backends = bench_places(stack, args.backend, args.postgres, "stress")
        for backend in backends:
            databases = Databases(backend, folder, admin_url)
            try:
                good = (
                    bench_backend(databases, args.edits, args.kills, args.slow_commit_ms) and good
                )
            finally:
                databases.drop_all()
    if not good:
        print("FAILED: errors, lost updates or lost commits above")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
