"""From physical lines to logical lines: page furniture dropped, wrapped lines joined.

:func:`drop_page_furniture` removes running headers, footers and page numbers;
:func:`join_lines` joins the lines a paragraph, list item or table cell was wrapped onto,
giving the :class:`Block` list the section readers work on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from esi_desktop.report.lexer import (
    STARTS,
    Info,
    Kind,
    Phys,
    Vocab,
    classify,
    clean,
    demark,
    fold,
    is_result,
)

_PAGE_WORD = re.compile(r"page [0-9]{1,4}(?: of [0-9]{1,4})?", re.I)
_BARE_PAGE = re.compile(r"(?:page )?[0-9]{1,3}(?: of [0-9]{1,3})?|- ?[0-9]{1,3} ?-", re.I)


@dataclass(frozen=True, slots=True)
class Block:
    """A logical line: one or more physical lines joined."""

    info: Info
    loc: str
    lineno: int
    raw: str

    @property
    def kind(self) -> Kind:
        return self.info.kind

    @property
    def text(self) -> str:
        return self.info.text


def drop_page_furniture(pages: list[list[Phys]], vocab: Vocab) -> list[Phys]:
    """Remove running headers/footers and page numbers; return the remaining lines in order.

    A line counts as furniture when it sits among the first or last two lines of a page and
    either is a page number or (ignoring digits) repeats at the edge of many pages.
    """

    def edges(page: list[Phys]) -> set[int]:
        filled = [i for i, line in enumerate(page) if line.raw]
        return set(filled[:2] + filled[-2:])

    def key(line: Phys) -> str:
        return "".join("#" if ch.isdigit() else ch for ch in fold(demark(line.raw)))

    page_edges = [edges(page) for page in pages]
    counts: Counter[str] = Counter()
    for page, edge in zip(pages, page_edges, strict=True):
        counts.update({key(page[i]) for i in edge})
    threshold = max(2, (len(pages) + 1) // 2)
    keep_kinds = {
        Kind.BULLET,
        Kind.NUMBERED,
        Kind.LABEL,
        Kind.CRITERION,
        Kind.RESULT,
        Kind.SECTION,
        Kind.ANCHOR,
        Kind.REPORT_ON,
    }
    out: list[Phys] = []
    for page, edge in zip(pages, page_edges, strict=True):
        for i, line in enumerate(page):
            text = clean(line.raw)
            if text and _PAGE_WORD.fullmatch(text):
                continue
            if i in edge:
                if _BARE_PAGE.fullmatch(text):
                    continue
                if len(pages) > 1 and counts[key(line)] >= threshold:
                    info = classify(line.raw, vocab)
                    if info is None or info.kind not in keep_kinds:
                        continue
            out.append(line)
    return out


def join_lines(lines: list[Phys], vocab: Vocab) -> list[Block]:
    """Join wrapped physical lines into logical lines.

    A line continues the previous one unless the previous one was blank or ended a block
    (heading, label, table row...), or this one starts a block (bullet, heading, result...),
    or the previous one ended a sentence and this one looks like a heading or a table row.
    """
    blocks: list[Block] = []
    parts: list[str] = []
    first: Phys | None = None
    prev: Info | None = None
    # Wrapped lines fill most of the width; a heading is much shorter than that.
    lengths = sorted(len(line.raw) for line in lines if line.raw)
    width = lengths[len(lengths) * 3 // 4] if lengths else 0
    short = min(60, width * 3 // 5)
    guessed = False  # the current block began only because its first line looked a heading

    def flush() -> None:
        if first is not None and parts:
            raw = " ".join(parts)
            info = classify(raw, vocab)
            if (
                guessed
                and len(parts) > 1
                and info is not None
                and info.kind is Kind.TEXT
                and len(info.cells) < 2
                and blocks
                and blocks[-1].kind in (Kind.TEXT, Kind.BULLET, Kind.NUMBERED)
            ):
                # A heading is one line: this "heading" ran on, so it was a wrapped sentence
                # of the paragraph above after all.
                before = blocks.pop()
                raw = f"{before.raw} {raw}"
                merged = classify(raw, vocab)
                if merged is not None:
                    blocks.append(Block(merged, before.loc, before.lineno, raw))
            elif info is not None:
                blocks.append(Block(info, first.loc, first.lineno, raw))
        parts.clear()

    for line in lines:
        info = classify(line.raw, vocab) if line.raw else None
        if info is None:
            # Blank lines and separators end a paragraph.
            flush()
            first, prev = None, None
            continue
        plain_continuation = prev is not None and info.kind not in STARTS and not prev.terminal
        looks_heading = (
            plain_continuation
            and prev is not None
            and prev.ends_sentence
            and info.heading_like(short)
            and len(info.cells) < 2
        )
        continues = (
            prev is not None
            and (
                (
                    plain_continuation
                    and not (
                        prev.ends_sentence and (info.heading_like(short) or len(info.cells) >= 2)
                    )
                )
                # A criterion title wrapped in its cell: "D3: ... using available" / "data ...".
                or (prev.open_title and info.kind is Kind.TEXT and info.text[:1].islower())
                # A result cell wrapped inside its column: "...demonstrated.  PARTLY" / "MET".
                or (
                    len(prev.cells) >= 2
                    and is_result(f"{prev.cells[-1]} {info.text}", vocab)
                    and not is_result(prev.cells[-1], vocab)
                )
            )
        )
        if not continues:
            flush()
            first, guessed = line, looks_heading
        parts.append(line.raw)
        prev = info
    flush()
    return blocks
