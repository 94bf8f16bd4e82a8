"""Start-up of the frozen program (packaging/build.py) against ``uv run main.py``, same run.

Two measures, each alternating the two (frozen, source, frozen, source, …) after one untimed
run of each to warm the file cache:

- ``--version``: process start to exit, ``esi-desktop --version`` vs ``uv run main.py
  --version`` (what a script calling a command waits for);
- ``window``: process start to the main window's first paint on the sample database
  (``ESI_DESKTOP_FIRST_PAINT_PROBE=1``: ui/app.py prints the time and quits), the windowed
  ``ESI Desktop`` vs ``uv run main.py --db URL``.

Each pair gives a ratio frozen / source; the bench prints the min and median of those ratios
(below 1: the frozen program starts faster). Build first: ``uv run python packaging/build.py``.

Run: ``uv run python bench/frozen_startup.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "esi-gloucestershire-2005.txt"


def _build_module():  # type: ignore[no-untyped-def]
    # loaded by path: a package named "packaging" would shadow the library of that name
    spec = importlib.util.spec_from_file_location("esi_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(argv: list[str], env: dict[str, str], *, painted: bool) -> float:
    """Seconds from starting the process to its exit (or to its window's first paint)."""
    start = time.time()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    end = time.time()
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed: {done.stderr.strip()[-800:]}")
    if not painted:
        return end - start
    for line in done.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise SystemExit(f"no paint from {argv}: {done.stderr.strip()[-800:]}")


def measure(
    name: str, frozen: list[str], source: list[str], env: dict[str, str], runs: int, painted: bool
) -> None:
    _run(frozen, env, painted=painted)  # one untimed run of each warms the file cache
    _run(source, env, painted=painted)
    frozen_times, source_times = [], []
    for _ in range(runs):
        frozen_times.append(_run(frozen, env, painted=painted))
        source_times.append(_run(source, env, painted=painted))
    ratios = [f / s for f, s in zip(frozen_times, source_times, strict=True)]
    print(
        f"{name:9} source {statistics.median(source_times) * 1000:6.0f} ms  "
        f"frozen {statistics.median(frozen_times) * 1000:6.0f} ms "
        f"(min {min(frozen_times) * 1000:5.0f})  "
        f"ratio frozen/source min {min(ratios):5.2f}x median {statistics.median(ratios):5.2f}x  "
        f"({runs} pairs)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="alternating pairs (default 7)")
    parser.add_argument("--quick", action="store_true", help="2 pairs each: a smoke test")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    build = _build_module()
    if not build.COMMAND.is_file():
        raise SystemExit(f"{build.COMMAND} is missing: run uv run python packaging/build.py")
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is not on PATH")
    with tempfile.TemporaryDirectory(prefix="esi-bench-") as name:
        folder = Path(name)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its bytecode
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[variable] = str(folder / variable.lower())
        url = f"sqlite:///{folder / 'sample.sqlite3'}"
        subprocess.run(
            [str(build.COMMAND), "import", str(SAMPLE), "--db", url],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        source = [uv, "run", "--no-sync", "main.py"]
        measure("--version", [str(build.COMMAND), "--version"], [*source, "--version"], env,
                runs, painted=False)  # fmt: skip
        env["ESI_DESKTOP_FIRST_PAINT_PROBE"] = "1"
        measure("window", [str(build.WINDOW), "--db", url], [*source, "--db", url], env, runs,
                painted=True)  # fmt: skip


if __name__ == "__main__":
    main()
