"""The evidence bundle: 200 pieces of evidence, about 100 MB, over merging the same PDFs alone.

The evidence is made once in a temporary folder: 150 PDFs of 0.1 to 1.1 MB (reportlab pages
carrying incompressible image data), 30 JPEG photographs and 20 other files (Word-like, e-mail
and spreadsheet bytes), attached across the sample plan's recommendations, actions and
milestones in a temporary SQLite database. The subject is ``main.py export bundle`` to a PDF:
it reads each piece from the database, merges the PDFs, places the photographs on pages,
attaches the rest, stamps "Page X of Y" on every page, lays out the cover and index and writes
the outline. The baseline is pypdf alone merging the same 150 PDFs from their files
(``PdfWriter.append`` each, then write): the floor of any bundle that merges them.

Each run is a fresh subprocess, so its peak memory (``ru_maxrss``) is its own; the modules
each side uses are loaded before its clock starts. Baseline and
subject alternate; for each pair the ratio of time and of peak memory is taken and the min and
median printed. Run: ``uv run python bench/bundle.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

TODAY = date(2005, 6, 1)
PDFS, PHOTOS, OTHERS = 150, 30, 20


def make_pdf(seed: int, size: int) -> bytes:
    """A PDF of about ``size`` bytes: pages of incompressible image data with a caption."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    rng = random.Random(seed)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    left = size
    page = 0
    while left > 0:
        page += 1
        chunk = min(left, 250_000)
        side = max(16, int((chunk / 3) ** 0.5))
        noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        canvas.drawString(72, 800, f"Evidence {seed}, page {page}")
        canvas.drawImage(ImageReader(noise), 72, 300, 400, 400)
        canvas.showPage()
        left -= chunk
    canvas.save()
    return buffer.getvalue()


def make_photo(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (600, 450), rng.randbytes(600 * 450 * 3)).save(buffer, "JPEG")
    return buffer.getvalue()


def generate(folder: Path) -> list[tuple[str, bytes]]:
    """The 200 files, (name, bytes), each written into ``folder`` too (the baseline reads the
    PDFs from there)."""
    rng = random.Random(15)
    files: list[tuple[str, bytes]] = []
    for number in range(PDFS):
        files.append(
            (f"Evidence {number:03d}.pdf", make_pdf(number, rng.randint(100_000, 1_100_000)))
        )
    for number in range(PHOTOS):
        files.append((f"Photo {number:02d}.jpg", make_photo(1000 + number)))
    endings = (".docx", ".eml", ".xlsx", ".msg")
    for number in range(OTHERS):
        name = f"Document {number:02d}{endings[number % len(endings)]}"
        files.append((name, rng.randbytes(rng.randint(100_000, 500_000))))
    rng.shuffle(files)
    for name, data in files:
        (folder / name).write_bytes(data)
    return files


def fill_database(url: str, files: list[tuple[str, bytes]]) -> None:
    """The sample plan, 20 actions with 3 milestones each, and the files attached across them."""
    from db.models import Recommendation
    from esi_desktop import database, evidence, plan
    from esi_desktop.report.importer import load_sample

    database.connect(url)
    try:
        inspection_id = load_sample().inspection_id
        recommendations = [r.id for r in Recommendation.select().order_by(Recommendation.position)]
        items: list[tuple[str, int]] = [("recommendation", r) for r in recommendations]
        for number in range(20):
            action = plan.add_action(
                inspection_id=inspection_id,
                recommendation_ids=[recommendations[number % len(recommendations)]],
                text=f"Action {number + 1}",
                owner="ACO Operations",
                target_date=date(2005, 12, 1),
            )
            items.append(("action", action))
            for step in range(3):
                milestone = plan.add_milestone(
                    action_id=action, title=f"Step {step + 1}", due_date=TODAY, today=TODAY
                )
                items.append(("milestone", milestone))
        for number, (name, data) in enumerate(files):
            kind, item_id = items[number % len(items)]
            evidence.attach(item_kind=kind, item_id=item_id, name=name, data=data)
    finally:
        database.disconnect()


def run_bundle(url: str, out: Path) -> None:
    from esi_desktop.cli import main

    status = main(["export", "bundle", "--out", str(out), "--db", url, "--force"])
    if status:
        raise SystemExit(status)


def run_merge(folder: Path, out: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in sorted(folder.glob("*.pdf")):
        writer.append(path, import_outline=False)
    with open(out, "wb") as stream:
        writer.write(stream)


def child(what: str, source: str, out: str) -> None:
    """One measured run in this process: prints {"seconds", "peak_mb"}."""
    # the modules each side uses are loaded first: loading is not the work measured (and
    # where bytecode is not cached, compiling the program's modules would swamp it)
    import pypdf  # noqa: F401

    if what == "bundle":
        import esi_desktop.cli.bundle
        import esi_desktop.cli.commands
        import esi_desktop.evidence
        import esi_desktop.export.bundle
        import esi_desktop.export.bundle_index
        import esi_desktop.export.bundle_pages  # noqa: F401
    sys.stdout = io.StringIO()  # the command's "Wrote …" is not the measurement
    start = time.perf_counter()
    if what == "bundle":
        run_bundle(source, Path(out))
    else:
        run_merge(Path(source), Path(out))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    sys.stdout = sys.__stdout__
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def measure(what: str, source: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, source, str(out)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="pairs (at least 5)")
    parser.add_argument("--quick", action="store_true", help="2 pairs: a smoke test")
    parser.add_argument(
        "--child", nargs=3, metavar=("WHAT", "SOURCE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    pairs = 2 if args.quick else max(5, args.runs)
    with tempfile.TemporaryDirectory(prefix="esi-bench-bundle-") as temporary:
        folder = Path(temporary) / "evidence"
        folder.mkdir()
        started = time.perf_counter()
        files = generate(folder)
        url = f"sqlite:///{Path(temporary) / 'bench.sqlite3'}"
        fill_database(url, files)
        total = sum(len(data) for _, data in files)
        pdf_total = sum(len(data) for name, data in files if name.endswith(".pdf"))
        print(
            f"{len(files)} pieces of evidence, {total / 2**20:.0f} MB ({PDFS} PDFs, "
            f"{pdf_total / 2**20:.0f} MB; {PHOTOS} photographs; {OTHERS} other files); made "
            f"in {time.perf_counter() - started:.0f} s"
        )
        ours: list[dict[str, float]] = []
        base: list[dict[str, float]] = []
        for _ in range(pairs):
            base.append(measure("merge", str(folder), Path(temporary) / "merged.pdf"))
            ours.append(measure("bundle", url, Path(temporary) / "bundle.pdf"))
        from pypdf import PdfReader

        bundle = Path(temporary) / "bundle.pdf"
        merged = Path(temporary) / "merged.pdf"
        pages, merged_pages = len(PdfReader(bundle).pages), len(PdfReader(merged).pages)
        sizes = bundle.stat().st_size / 2**20, merged.stat().st_size / 2**20
    print(f"{pairs} alternating pairs (pypdf merge alone, export bundle), each in a fresh process")
    print(
        f"bundle: {pages} pages, {sizes[0]:.0f} MB; pypdf merge: {merged_pages} pages, "
        f"{sizes[1]:.0f} MB"
    )
    for key, name, unit in (("seconds", "time", "s"), ("peak_mb", "peak memory", "MB")):
        ratios = [o[key] / b[key] for o, b in zip(ours, base, strict=True)]
        print(
            f"{name:<12}: bundle {statistics.median(o[key] for o in ours):7.1f} {unit}, "
            f"merge alone {statistics.median(b[key] for b in base):7.1f} {unit}; "
            f"ratio min {min(ratios):.2f}x median {statistics.median(ratios):.2f}x"
        )


if __name__ == "__main__":
    main()
