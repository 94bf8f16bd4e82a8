"""Build the frozen application (one folder) from packaging/esi_desktop.spec, and measure it.

Run from anywhere: ``uv run python packaging/build.py [--no-excludes] [--clean]``. The program
ends up in ``packaging/dist/ESI Desktop/``: ``ESI Desktop`` (the window, no console) and
``esi-desktop`` (the commands), ``.exe`` on Windows. Prints the bundle's size, its file count
and the build time. ``--no-excludes`` builds without the spec's exclusions, under
``packaging/build/no-excludes/``, to measure what they save; the real build is left alone.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "esi_desktop.spec"
BUILD = PACKAGING / "build"
DIST = PACKAGING / "dist"
#: The folder the installer ships.
BUNDLE = DIST / "ESI Desktop"
_SUFFIX = ".exe" if sys.platform == "win32" else ""
#: The console program: esi-desktop --version, esi-desktop scores, …
COMMAND = BUNDLE / f"esi-desktop{_SUFFIX}"
#: The windowed program the Start-menu shortcut opens.
WINDOW = BUNDLE / f"ESI Desktop{_SUFFIX}"

PUBLISHER = "ESI Desktop"
DESCRIPTION = "ESI Desktop: a Probation Board's response to an ESI inspection report"


def project_version() -> str:
    """The version in esi_desktop/__init__.py (the one ``--version`` prints)."""
    text = (ROOT / "esi_desktop" / "__init__.py").read_text("utf-8")
    found = re.search(r'__version__ = "(\d+)\.(\d+)\.(\d+)"', text)
    if found is None:
        raise SystemExit('esi_desktop/__init__.py has no __version__ = "X.Y.Z"')
    return ".".join(found.groups())


def version_resource(version: str) -> str:
    """The Windows version resource (Explorer ▸ Properties ▸ Details) in PyInstaller's form."""
    numbers = (*(int(part) for part in version.split(".")), 0)
    return f"""# written by packaging/build.py from esi_desktop/__init__.py; do not edit
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', {PUBLISHER!r}),
      StringStruct('FileDescription', {DESCRIPTION!r}),
      StringStruct('FileVersion', {version!r}),
      StringStruct('InternalName', 'esi-desktop'),
      StringStruct('LegalCopyright', {PUBLISHER!r}),
      StringStruct('OriginalFilename', 'ESI Desktop.exe'),
      StringStruct('ProductName', 'ESI Desktop'),
      StringStruct('ProductVersion', {version!r})])]),
    VarFileInfo([VarStruct('Translation', [0x0809, 1200])])
  ]
)
"""


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``, symbolic links not followed."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def build(*, no_excludes: bool = False, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; return the bundle's folder."""
    version = project_version()
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "version_info.txt").write_text(version_resource(version), "utf-8")
    dist = BUILD / "no-excludes" / "dist" if no_excludes else DIST
    work = BUILD / "no-excludes" / "work" if no_excludes else BUILD / "work"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC),
    ]  # fmt: skip
    if clean:
        command.insert(3, "--clean")
    if no_excludes:
        command += ["--", "--no-excludes"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    seconds = time.perf_counter() - started
    bundle = dist / BUNDLE.name
    size, files = folder_size(bundle)
    what = "without the exclusions" if no_excludes else "ESI Desktop"
    print(
        f"built {what} {version} in {seconds:.0f} s: {bundle.relative_to(ROOT)} "
        f"{size / 1e6:.1f} MB, {files} files",
        flush=True,
    )
    return bundle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--no-excludes", action="store_true", help="build without the spec's exclusions"
    )
    parser.add_argument("--clean", action="store_true", help="rebuild from nothing (no cache)")
    args = parser.parse_args()
    build(no_excludes=args.no_excludes, clean=args.clean)


if __name__ == "__main__":
    main()
