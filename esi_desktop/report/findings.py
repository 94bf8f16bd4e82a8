"""Reading the criterion findings: each criterion's description, strengths and areas for
improvement, and any result printed beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esi_desktop.frameworks import Criterion, Framework
from esi_desktop.report.joining import Block
from esi_desktop.report.lexer import (
    COLUMN_WORDS,
    Info,
    Kind,
    Vocab,
    collapse,
    is_result,
    result_suffix,
)
from esi_desktop.report.messages import snippet
from esi_desktop.report.reader import Reader
from esi_desktop.report.results import CriterionFindings


@dataclass
class _Findings:
    """One criterion's findings while they are read."""

    code: str
    loc: str
    description: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    lists_started: bool = False
    labelled: bool = False  # its "Description:" label has been read
    result: int | str | None = None
    result_loc: str = ""
    ignored: bool = False


class FindingsReader(Reader):
    """The findings of the criteria of one framework, in framework order."""

    def findings(
        self, start: int, end: int, fw: Framework
    ) -> tuple[list[CriterionFindings], dict[str, tuple[int | str, str]]]:
        """Read the criterion blocks between ``start`` and ``end``.

        Criteria whose heading line was lost in the export are recognised by their
        "Description:" block: each one that follows a complete block belongs to the next
        criterion in framework order.
        """
        codes = [c.code for c in fw.criteria]
        position = {code: n for n, code in enumerate(codes)}
        found: dict[str, _Findings] = {}
        order: list[_Findings] = []
        current: _Findings | None = None
        next_index = 0
        mode = ""

        def open_block(code: str, loc: str) -> _Findings:
            block = _Findings(code, loc)
            if code in found:
                self.warn(
                    loc,
                    f"the findings for {code} appear a second time; the first ones "
                    f"({found[code].loc}) are used.",
                )
                block.ignored = True
            else:
                found[code] = block
                order.append(block)
            return block

        for i in range(start, end):
            block = self.blocks[i]
            info = block.info
            kind = info.kind
            if kind is Kind.SECTION:
                members = [c for c in fw.criteria if c.section == info.code]
                if members and info.text.casefold() != f"section {info.code.casefold()}":
                    next_index = max(next_index, position[members[0].code])
                    current, mode = None, ""
                continue
            if kind is Kind.CRITERION:
                if info.importance:
                    mode = ""
                    continue
                if not fw.has_criterion(info.code):
                    self.warn(
                        block.loc,
                        f"{info.code} is not a criterion of the {fw.short_title} framework; the "
                        f'line "{snippet(info.text)}" was not read as a criterion heading. Check '
                        "the code against the report.",
                    )
                    mode = ""
                    continue
                crit = fw.criterion(info.code)
                self.check_title(block, crit)
                current = open_block(crit.code, block.loc)
                next_index = position[crit.code] + 1
                mode = "head"
                if info.result is not None:
                    self.body_result(current, block, crit, fw, info.result)
                continue
            if kind is Kind.LABEL:
                if info.label == "description":
                    if current is None or current.labelled or current.lists_started:
                        if next_index >= len(codes):
                            self.warn(
                                block.loc,
                                "a Description block follows the last criterion of the "
                                f"{fw.short_title} framework and was ignored.",
                            )
                            current, mode = None, ""
                            continue
                        current = open_block(codes[next_index], block.loc)
                        next_index += 1
                    else:
                        # Text between a heading and its "Description:" label is not the
                        # description (a stray page header, say).
                        current.description.clear()
                    current.labelled = True
                    mode = "description"
                    if info.body:
                        current.description.append(info.body)
                elif current is not None:
                    current.lists_started = True
                    mode = info.label
                    if info.body:
                        self.items(current, mode).append(info.body)
                continue
            if current is None:
                continue
            if kind is Kind.RESULT:
                if not current.lists_started and info.result is not None:
                    crit = fw.criterion(current.code)
                    self.body_result(current, block, crit, fw, info.result)
                continue
            if mode in ("strengths", "improvements"):
                items = self.items(current, mode)
                if kind in (Kind.BULLET, Kind.NUMBERED):
                    items.append(info.body)
                    self.note_guess(block, f"{current.code} ({fw.short_title}) bullet")
                elif items and self.continues_item(i):
                    # A bullet split by a page break: the paragraph carries on the item above.
                    items[-1] = f"{items[-1]} {block.text}"
                else:
                    mode = ""
                continue
            if mode in ("head", "description"):
                if kind in (Kind.CAPS, Kind.HEADING, Kind.DATE, Kind.ANCHOR):
                    mode = ""
                    continue
                text, value = _split_description(info, self.vocab)
                if value is not None:
                    crit = fw.criterion(current.code)
                    self.body_result(current, block, crit, fw, value)
                if text and not (mode == "head" and text.casefold() in COLUMN_WORDS):
                    self.note_guess(block, f"{current.code} ({fw.short_title}) description")
                    current.description.append(
                        info.body if kind in (Kind.BULLET, Kind.NUMBERED) else text
                    )
        out = [
            CriterionFindings(
                fw.id,
                f.code,
                collapse(" ".join(f.description)),
                tuple(collapse(s) for s in f.strengths),
                tuple(collapse(s) for s in f.improvements),
            )
            for f in order
        ]
        out.sort(key=lambda f: position[f.code])
        results = {f.code: (f.result, f.result_loc) for f in order if f.result is not None}
        return out, results

    @staticmethod
    def items(block: _Findings, mode: str) -> list[str]:
        return block.strengths if mode == "strengths" else block.improvements

    def body_result(
        self, current: _Findings, block: Block, crit: Criterion, fw: Framework, value: str
    ) -> None:
        if current.ignored:
            return
        typed = self.typed_result(block, crit, fw, value, strict=False)
        if typed is None:
            return
        if current.result is None:
            current.result, current.result_loc = typed, block.loc
        elif current.result != typed:
            self.warn(
                block.loc,
                f"{crit.code} is given the result {typed} here but {current.result} at "
                f"{current.result_loc}; the first one is used.",
            )


def _split_description(info: Info, vocab: Vocab) -> tuple[str, str | None]:
    """A description line and the result printed after it in the thematic tables."""
    cells = info.cells
    if len(cells) >= 2 and is_result(cells[-1], vocab):
        return " ".join(cells[:-1]), cells[-1]
    split = result_suffix(info.text, vocab)
    # Without a cell break, only a result after the end of a sentence is taken as one.
    if split is not None and split[0].rstrip("\"'’”)").endswith((".", "!", "?")):
        return split
    return info.text, None
