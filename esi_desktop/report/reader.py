"""The section readers' shared state: the logical lines, and how a reader searches and warns.

:class:`Reader` holds the report's blocks and the warnings collected on the way, and gives
every section reader the same searching, result checking and error wording. The readers
themselves are mixins on it, one module per part of the report (``front_matter``,
``recommendations``, ``scores``, ``findings``, ``back_matter``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from esi_desktop.errors import ReportParseError
from esi_desktop.frameworks import Criterion, Framework, ResultKind, normalise_rating
from esi_desktop.report.joining import Block
from esi_desktop.report.lexer import Kind, Source, Vocab, norm_title, parse_percent
from esi_desktop.report.messages import at_loc, cap, snippet


class Reader:
    """What every section reader shares: the logical lines, where they came from, the words
    a result can be, and the warnings collected on the way."""

    def __init__(
        self, blocks: list[Block], source: Source, vocab: Vocab, warnings: list[str]
    ) -> None:
        self.blocks = blocks
        self.source = source
        self.vocab = vocab
        self.warnings = warnings
        last = blocks[-1]
        self.last_loc = last.loc
        self.last_text = snippet(last.text)

    # ---------------------------------------------------------------- errors and warnings

    def warn(self, loc: str, message: str) -> None:
        self.warnings.append(f"{cap(loc)}: {message}" if loc else message)

    def note_guess(self, block: Block, what: str) -> None:
        """Warn when ``block`` runs on across a page break only by guess (see joining)."""
        where, text = block.guess
        if where:
            self.warn(
                where,
                f'the text at the top of the page ("{snippet(text)}") was read as carrying on '
                f"the {what} above it across the page break; check it against the report.",
            )

    def cut_off(self, missing: str, *, hint: str = "") -> ReportParseError:
        where = f'the text ends {at_loc(self.last_loc)} ("{self.last_text}")'
        return ReportParseError(
            f"{cap(self.source.name)} seems to be cut off or incomplete: it has no {missing}; "
            f"{where}.{hint} Choose the complete report's text or PDF file.",
            self.last_loc,
        )

    def result_error(self, block: Block, crit: Criterion, fw: Framework, value: str) -> NoReturn:
        if crit.kind is ResultKind.PERCENT:
            wanted = "a percentage from 0% to 100%"
        else:
            wanted = "a rating (" + ", ".join(fw.rating_scale) + ")"
        raise ReportParseError(
            f"{cap(block.loc)} of {self.source.name} gives {crit.code} ({crit.title}) the "
            f'result "{value}", but the {fw.short_title} framework expects {wanted}. '
            "Check that this is an ESI report of this framework and that the file is not "
            "damaged.",
            block.loc,
        )

    def typed_result(
        self, block: Block, crit: Criterion, fw: Framework, value: str, *, strict: bool
    ) -> int | str | None:
        """The result converted for the criterion; on a mismatch raise (strict) or warn."""
        percent = parse_percent(value)
        rating = normalise_rating(value, fw.rating_scale)
        ok_percent = percent is not None and percent <= 100
        if crit.kind is ResultKind.PERCENT and ok_percent:
            return percent
        if crit.kind is ResultKind.RATING and rating is not None:
            return rating
        if percent is None and rating is None:
            return None
        if strict:
            self.result_error(block, crit, fw, value)
        self.warn(
            block.loc,
            f'the result "{value}" given for {crit.code} is not the kind of result that '
            f"criterion has in the {fw.short_title} framework; it was ignored.",
        )
        return None

    # ---------------------------------------------------------------- searching

    def find(self, predicate: Callable[[Block], bool], start: int = 0, end: int = -1) -> int:
        stop = len(self.blocks) if end < 0 else end
        for i in range(start, stop):
            if predicate(self.blocks[i]):
                return i
        return -1

    def continues_item(self, index: int) -> bool:
        """True when a paragraph inside a list carries on the list item above it.

        A page break in the original splits a bullet; the rest comes out as a paragraph that
        starts in lower case, or as a short line that is followed by one that does.
        """
        block = self.blocks[index]
        if block.kind is not Kind.TEXT:
            return False
        if block.text[:1].islower():
            return True
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return (
            following is not None
            and following.kind is Kind.TEXT
            and following.text[:1].islower()
            and not block.text.endswith((".", ":"))
        )

    def region_end(self, start: int, stop_kinds: frozenset[Kind]) -> int:
        for i in range(start + 1, len(self.blocks)):
            if self.blocks[i].kind in stop_kinds:
                return i
        return len(self.blocks)

    def check_title(self, block: Block, crit: Criterion) -> None:
        if norm_title(block.info.title) != norm_title(crit.title):
            self.warn(
                block.loc,
                f'{crit.code} is titled "{block.info.title}" in the report but '
                f'"{crit.title}" in the framework; check that the report matches the framework.',
            )
