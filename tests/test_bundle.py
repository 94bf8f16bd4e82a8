"""The evidence bundle (issue 15 §2), read back with pypdf: pages, "Page X of Y", the index's
page numbers, the outline, attachments and their hashes, damaged and locked PDFs; the ZIP's
layout and bytes; ``main.py export bundle``."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from db.models import Recommendation
from esi_desktop import evidence, plan
from esi_desktop.cli import main
from esi_desktop.export.bundle import (
    INDEX_NAME,
    LOCKED_PDF,
    UNREADABLE_PDF,
    write_bundle,
)
from esi_desktop.export.bundle_content import BundleContent, arrange, bundle_content
from esi_desktop.export.bundle_pages import UNREADABLE_IMAGE, too_large_image
from esi_desktop.file_names import numbered
from esi_desktop.files import PDF, ZIP
from esi_desktop.inspections import list_inspections
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION

TODAY = date(2005, 6, 1)


def pdf_of(word: str, pages: int = 1) -> bytes:
    """A small PDF whose every page starts with ``word``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(pages):
        canvas.drawString(72, 750, f"{word} page {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (29, 58, 95)).save(buffer, "PNG")
    return buffer.getvalue()


def locked_pdf() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_of("Secret"))))
    writer.encrypt("open sesame", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DOCX = b"PK\x03\x04 not really a Word document, but bytes to attach"
BROKEN = b"%PDF-1.4\n1 0 obj << /Type /Catalog broken beyond repair"
BROKEN_PNG = b"\x89PNG\r\n\x1a\n truncated"

#: (kind, item, name, bytes) in the order attached; item: a reference.
FILES: list[tuple[str, str, str, bytes]] = [
    (RECOMMENDATION, "1", "Minutes 12 May.pdf", pdf_of("Zebra", 2)),
    (ACTION, "AP1", "Audit report.pdf", pdf_of("Walrus", 3)),
    (ACTION, "AP1", "Notes.docx", DOCX),
    (ACTION, "AP1", "Broken.pdf", BROKEN),
    (ACTION, "AP1", "Locked.pdf", locked_pdf()),
    (MILESTONE, "AP1.1", "Photo.png", png()),
    (MILESTONE, "AP1.1", "Scan.pdf", pdf_of("Yak")),
    (MILESTONE, "AP1.1", "Scan.pdf", pdf_of("Ibex")),
    (MILESTONE, "AP1.1", "Torn.png", BROKEN_PNG),
]


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


@pytest.fixture
def with_evidence(sample_db: peewee.Database) -> int:
    """AP1 serves recommendations 6 and 3 (so it is listed under 3), with milestone AP1.1;
    the files above attached to recommendation 1, AP1 and AP1.1."""
    inspection_id = list_inspections()[0].id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6"), rec_id("3")],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 12, 1),
    )
    milestone = plan.add_milestone(
        action_id=action, title="Audit tool agreed", due_date=date(2005, 5, 1), today=TODAY
    )
    ids = {"1": rec_id("1"), "AP1": action, "AP1.1": milestone}
    for kind, item, name, data in FILES:
        evidence.attach(item_kind=kind, item_id=ids[item], name=name, data=data)
    return inspection_id


def read_content(evidence_id: int) -> bytes:
    return evidence.content_of(evidence_id=evidence_id)


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page from 1) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def visit(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    visit(reader.outline, 0)
    return found


# ----- the PDF ------------------------------------------------------------------------------


def test_the_pdf_bundle_holds_cover_index_and_every_page_numbered(
    with_evidence: int, tmp_path: Path
) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    written = write_bundle(content, out, kind=PDF, read=read_content)
    reader = PdfReader(out)
    pages = texts(reader)
    index_pages = sum(1 for text in pages[1:] if text.startswith("Gloucestershire"))
    # cover + index + Zebra 2 + Walrus 3 + Photo 1 + Yak 1 + Ibex 1
    assert len(pages) == 1 + index_pages + 2 + 3 + 1 + 1 + 1 == written.pages
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    cover = " ".join(pages[0].split())
    assert "Evidence for the follow-up inspection" in cover
    assert "9 pieces" in cover and "4 PDF documents merged in" in cover
    assert "1 image placed on pages" in cover and "4 files attached" in cover
    assert (written.counts.merged, written.counts.images, written.counts.attached) == (4, 1, 4)


def test_the_index_page_numbers_point_at_each_piece_and_say_what_is_attached(
    with_evidence: int, tmp_path: Path
) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    write_bundle(content, out, kind=PDF, read=read_content)
    pages = texts(PdfReader(out))
    index = "\n".join(pages[1:3])
    where = re.findall(
        r"([^\n]+\.(?:pdf|docx|png))\n.*?(page (\d+)|attached as a file)", index, re.S
    )
    said = [(name.strip(), int(number) if number else None) for name, _, number in where]
    assert [name for name, _ in said] == [name for _, _, name, _ in FILES]
    shown = [(name, page) for name, page in said if page is not None]
    assert [name for name, _ in shown] == [
        "Minutes 12 May.pdf", "Audit report.pdf", "Photo.png", "Scan.pdf", "Scan.pdf"
    ]  # fmt: skip
    for (name, page), word in zip(
        shown, ["Zebra page 1", "Walrus page 1", "AP1.1 · Photo.png", "Yak", "Ibex"], strict=True
    ):
        assert pages[page - 1].startswith(word), (name, page)
    # every SHA-256 in full, and why a PDF or image could not be shown
    flat = index.replace("\n", "")
    for _, _, _, data in FILES:
        assert hashlib.sha256(data).hexdigest() in flat
    for sentence in (UNREADABLE_PDF, LOCKED_PDF, UNREADABLE_IMAGE):
        assert " ".join(sentence.split()) in " ".join(index.split())
    # the gaps: a recommendation with no evidence says so
    assert "Recommendation 2:" in index and "No evidence attached yet." in index


def test_attachments_hold_the_right_bytes(with_evidence: int, tmp_path: Path) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    write_bundle(content, out, kind=PDF, read=read_content)
    attached = {
        name: [hashlib.sha256(d).hexdigest() for d in data]
        for name, data in PdfReader(out).attachments.items()
    }
    expected = {
        "Notes.docx": DOCX,
        "Broken.pdf": BROKEN,
        "Locked.pdf": FILES[4][3],
        "Torn.png": BROKEN_PNG,
    }
    assert attached == {name: [hashlib.sha256(d).hexdigest()] for name, d in expected.items()}


def test_the_outline_mirrors_the_index(with_evidence: int, tmp_path: Path) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    write_bundle(content, out, kind=PDF, read=read_content)
    reader = PdfReader(out)
    pages = texts(reader)
    marks = outline(reader)
    assert marks[:2] == [(0, "Cover", 1), (0, "Index of evidence", 2)]
    top = [title.split(":")[0] for depth, title, _ in marks if depth == 0][2:]
    assert top == [f"Recommendation {r.reference}" for r in _recommendations()]
    three = next(i for i, m in enumerate(marks) if m[1].startswith("Recommendation 3:"))
    shape = [(depth, title) for depth, title, _ in marks[three : three + 11]]
    assert shape == [
        (0, marks[three][1]),
        (1, "AP1: Audit risk of harm assessments"),
        (2, "Audit report.pdf"),
        (2, "Notes.docx (attached as a file)"),
        (2, "Broken.pdf (attached as a file)"),
        (2, "Locked.pdf (attached as a file)"),
        (2, "AP1.1: Audit tool agreed"),
        (3, "Photo.png"),
        (3, "Scan.pdf"),
        (3, "Scan.pdf"),
        (3, "Torn.png (attached as a file)"),
    ]
    by_title = {(d, t): p for d, t, p in marks[three : three + 11]}
    assert pages[by_title[(2, "Audit report.pdf")] - 1].startswith("Walrus page 1")
    assert pages[by_title[(1, "AP1: Audit risk of harm assessments")] - 1].startswith("Walrus")
    assert "Notes.docx" in pages[by_title[(2, "Notes.docx (attached as a file)")] - 1]
    # AP1 serves 6 too, but appears once, under 3
    assert sum(1 for _, title, _ in marks if title.startswith("AP1:")) == 1


def test_the_pdf_says_what_it_is(with_evidence: int, tmp_path: Path) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    write_bundle(content, out, kind=PDF, read=read_content)
    reader = PdfReader(out)
    assert reader.metadata is not None
    assert reader.metadata.title == (
        "Evidence for the follow-up inspection: Gloucestershire Probation Board"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def _recommendations() -> list[Recommendation]:
    return list(Recommendation.select().order_by(Recommendation.position))


# ----- a long index, on plain data ----------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    id: int
    inspection_id: int
    item_kind: str
    item_id: int
    item_reference: str
    name: str
    media_type: str
    size: int
    sha256: str
    attached_by: str
    attached_at: datetime


def test_page_numbers_stay_right_when_the_index_runs_to_several_pages(tmp_path: Path) -> None:
    datas = {number: pdf_of(f"Word{number}x", 1 + number % 3) for number in range(1, 71)}
    pieces = [
        Piece(
            number, 1, MILESTONE, 300 + number % 7, f"AP1.{number % 7}", f"File {number}.pdf",
            "application/pdf", len(data), hashlib.sha256(data).hexdigest(), "Ann",
            datetime(2005, 5, 12, 10, 0),
        )
        for number, data in datas.items()
    ]  # fmt: skip
    milestones = [(300 + n, f"AP1.{n}", f"Step {n}") for n in range(7)]
    content = BundleContent(
        inspection_id=1,
        area="Gloucestershire Probation Area",
        report_title="An inspection",
        published=date(2005, 1, 1),
        prepared_on=TODAY,
        items=arrange(pieces, [(10, "1", "Risk", [100])], [(100, "AP1", "Audit", milestones)]),
    )
    out = tmp_path / "long.pdf"
    written = write_bundle(content, out, kind=PDF, read=datas.__getitem__)
    pages = texts(PdfReader(out))
    index = "\n".join(p for p in pages if "SHA-256" in p)
    found = re.findall(r"File (\d+)\.pdf\n.*?page (\d+)", index, re.S)
    assert len(found) == 70 and sum("SHA-256" in p for p in pages) >= 3  # the index is long
    for number, page in found:
        assert pages[int(page) - 1].startswith(f"Word{number}x page 1")
    assert len(pages) == written.pages


def test_a_cancel_writes_nothing(with_evidence: int, tmp_path: Path) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)

    class Stop(Exception):
        pass

    def report(done: int, total: int) -> None:
        if done == 3:
            raise Stop

    folder = tmp_path / "out"
    folder.mkdir()
    for name, kind in (("bundle.pdf", PDF), ("bundle.zip", ZIP)):
        with pytest.raises(Stop):
            write_bundle(content, folder / name, kind=kind, read=read_content, report=report)
    assert list(folder.iterdir()) == []  # no file, no temporary file left


# ----- the ZIP ------------------------------------------------------------------------------


def test_the_zip_holds_the_index_and_the_originals_in_folders_by_reference(
    with_evidence: int, tmp_path: Path
) -> None:
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.zip"
    written = write_bundle(content, out, kind=ZIP, read=read_content)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == [
            INDEX_NAME,
            "R1/Minutes 12 May.pdf",
            "R3/AP1/Audit report.pdf",
            "R3/AP1/Notes.docx",
            "R3/AP1/Broken.pdf",
            "R3/AP1/Locked.pdf",
            "R3/AP1/AP1.1/Photo.png",
            "R3/AP1/AP1.1/Scan.pdf",
            "R3/AP1/AP1.1/Scan (2).pdf",
            "R3/AP1/AP1.1/Torn.png",
        ]
        for name, (_, _, _, data) in zip(names[1:], FILES, strict=True):
            assert archive.read(name) == data
        index = PdfReader(io.BytesIO(archive.read(INDEX_NAME)))
    text = " ".join(" ".join(texts(index)).split())
    assert "R3/AP1/AP1.1/Scan (2).pdf" in text.replace("/ ", "/")
    assert f"Page 1 of {len(index.pages)}" in text and written.pages == len(index.pages)
    assert [title for depth, title, _ in outline(index) if depth == 2][:2] == [
        "Audit report.pdf",
        "Notes.docx",
    ]


def test_names_are_numbered_when_one_folder_has_two_alike() -> None:
    taken: set[str] = set()
    assert [numbered(n, taken) for n in ("a.pdf", "A.pdf", "a.pdf", "b")] == [
        "a.pdf",
        "A (2).pdf",
        "a (3).pdf",
        "b",
    ]


# ----- the command --------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_command_writes_the_bundle_and_warns_of_what_is_attached_instead(
    with_evidence: int, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.pdf"
    status, printed, err = run("export", "bundle", "--out", str(out), "--db", db_url)
    assert status == 0, err
    pages = len(PdfReader(out).pages)
    assert printed == (
        f"Wrote the Gloucestershire evidence bundle to {out} ({pages} pages): "
        "9 pieces of evidence, 4 merged, 1 image placed on pages, 4 files attached.\n"
    )
    assert f"warning: AP1 Broken.pdf: {UNREADABLE_PDF}\n" in err
    assert err.count("warning:") == 3
    archive = tmp_path / "bundle.zip"
    status, printed, _ = run("export", "bundle", "--out", str(archive), "--db", db_url)
    assert status == 0 and printed.startswith("Wrote the Gloucestershire evidence bundle")
    assert zipfile.ZipFile(archive).namelist()[0] == INDEX_NAME


def test_the_command_with_no_evidence_says_so_and_writes_nothing(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.pdf"
    status, printed, err = run("export", "bundle", "--out", str(out), "--db", db_url)
    assert (status, printed) == (2, "")
    assert "No evidence is attached to the Gloucestershire plan yet" in err
    assert err.count("\n") == 1 and not out.exists()


def test_the_command_refuses_an_ending_of_another_format(
    with_evidence: int, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.docx"
    status, _, err = run("export", "bundle", "--out", str(out), "--db", db_url)
    assert status == 2
    assert (
        "bundle.docx: the evidence bundle is written as .pdf or .zip, not .docx; end the file "
        "name with one of them." in err
    )
    assert not out.exists()


# ----- huge and hostile files ---------------------------------------------------------------


def plain_bundle(files: list[tuple[str, bytes]], media_type: str = "") -> BundleContent:
    """A bundle of ``files`` (name, bytes) on milestone AP1.1, with no database."""
    pieces = [
        Piece(
            number, 1, MILESTONE, 300, "AP1.1", name,
            media_type or ("image/png" if name.endswith(".png") else "application/pdf"),
            len(data), hashlib.sha256(data).hexdigest(), "Ann", datetime(2005, 5, 12, 10, 0),
        )
        for number, (name, data) in enumerate(files, start=1)
    ]  # fmt: skip
    return BundleContent(
        inspection_id=1,
        area="Gloucestershire Probation Area",
        report_title="An inspection",
        published=date(2005, 1, 1),
        prepared_on=TODAY,
        items=arrange(
            pieces, [(10, "1", "Risk", [100])], [(100, "AP1", "Audit", [(300, "AP1.1", "Step")])]
        ),
    )


@pytest.mark.parametrize("warnings_are", ["error", "ignore"])
def test_an_image_over_the_pixel_limit_is_attached_with_a_sentence(
    warnings_are: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Pillow warns of an image over its limit and refuses one over twice it; whether the
    # warning is an error (as under pytest) or ignored (as in the program), neither is decoded
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 200_000)
    big, huge = png(), io.BytesIO()  # 640 × 480: over the limit; 1000 × 1000: over twice it
    Image.new("1", (1000, 1000)).save(huge, "PNG")
    files = [("Big.png", big), ("Huge.png", huge.getvalue()), ("Minutes.pdf", pdf_of("Zebra"))]
    datas = {number: data for number, (_, data) in enumerate(files, start=1)}
    out = tmp_path / "bundle.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter(warnings_are)
        written = write_bundle(plain_bundle(files), out, kind=PDF, read=datas.__getitem__)
    reader = PdfReader(out)
    assert (written.counts.images, written.counts.merged, written.counts.attached) == (0, 1, 2)
    sentence = too_large_image()
    assert written.notes == (f"AP1.1 Big.png: {sentence}", f"AP1.1 Huge.png: {sentence}")
    assert sentence == (
        "It has more than 0.2 million pixels, too many to place on a page, so it is attached "
        "as a file."
    )
    assert {name: data[0] for name, data in reader.attachments.items()} == {
        "Big.png": big,
        "Huge.png": huge.getvalue(),
    }
    assert " ".join(sentence.split()) in " ".join(" ".join(texts(reader)).split())


def test_page_numbers_are_stamped_page_by_page_when_pages_share_their_fonts(
    tmp_path: Path,
) -> None:
    # reportlab (and many programs) give every page one shared font dictionary: stamping each
    # page into it made it grow by a font per page, the time grow as the square of the pages
    # (minutes for a document of thousands), and every page carry every page's fonts
    data = pdf_of("Shared", 40)
    source = PdfReader(io.BytesIO(data))
    assert len({page.raw_get("/Resources").raw_get("/Font").idnum for page in source.pages}) == 1
    out = tmp_path / "bundle.pdf"
    write_bundle(plain_bundle([("Shared.pdf", data)]), out, kind=PDF, read={1: data}.__getitem__)
    reader = PdfReader(out)
    evidence_pages = reader.pages[-40:]
    for number, page in enumerate(evidence_pages, start=len(reader.pages) - 39):
        assert page.extract_text().startswith(f"Shared page {number - len(reader.pages) + 40}")
        assert f"Page {number} of {len(reader.pages)}" in page.extract_text()
        assert len(page["/Resources"]["/Font"]) <= 3  # its own font, and the stamp's


def test_a_recommendation_whose_action_is_listed_under_another_says_where_not_no_evidence(
    with_evidence: int, tmp_path: Path
) -> None:
    # AP1 serves recommendations 3 and 6 and is listed once, under 3: recommendation 6 has
    # evidence all the same, and the inspectors must not read it as a gap
    content = bundle_content(inspection_id=with_evidence, today=TODAY)
    out = tmp_path / "bundle.pdf"
    write_bundle(content, out, kind=PDF, read=read_content)
    pages = [" ".join(text.split()) for text in texts(PdfReader(out))]
    assert "Recommendations 3 of 15 with evidence; 12 with none yet" in pages[0]
    index = " ".join(p for p in pages if "Index of evidence" in p or "Recommendation 6:" in p)
    six = index[index.index("Recommendation 6:") : index.index("Recommendation 7:")]
    assert (
        "AP1 also serves this recommendation: its evidence is listed under Recommendation 3." in six
    )
    assert "No evidence attached yet." not in six


def test_a_photo_is_placed_the_way_up_its_camera_says(tmp_path: Path) -> None:
    # a phone held upright stores the picture sideways and says so in its EXIF orientation
    from PIL import Image

    stored, exif = io.BytesIO(), Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to view
    Image.new("RGB", (400, 200), (29, 58, 95)).save(stored, "JPEG", exif=exif)
    data = stored.getvalue()
    out = tmp_path / "bundle.pdf"
    written = write_bundle(
        plain_bundle([("Notice board.jpg", data)], "image/jpeg"),
        out,
        kind=PDF,
        read={1: data}.__getitem__,
    )
    assert written.counts.images == 1
    page = PdfReader(out).pages[-1]
    assert page.mediabox.width < page.mediabox.height  # upright: a portrait page
    (image,) = page.images
    assert image.image.size == (200, 400)


def test_a_tiff_of_several_pages_is_attached_not_cut_to_its_first(tmp_path: Path) -> None:
    from PIL import Image

    scan = io.BytesIO()
    first, *rest = [Image.new("L", (300, 400), shade) for shade in (0, 120, 240)]
    first.save(scan, "TIFF", save_all=True, append_images=rest)
    data = scan.getvalue()
    out = tmp_path / "bundle.pdf"
    written = write_bundle(
        plain_bundle([("Scanned minutes.tif", data)], "image/tiff"),
        out,
        kind=PDF,
        read={1: data}.__getitem__,
    )
    sentence = "It has 3 pages, and only a PDF's pages are shown, so it is attached as a file."
    assert written.notes == (f"AP1.1 Scanned minutes.tif: {sentence}",)
    assert (written.counts.images, written.counts.attached) == (0, 1)
    assert PdfReader(out).attachments == {"Scanned minutes.tif": [data]}
