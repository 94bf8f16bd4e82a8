"""Reading the scores: the scoring summary sheet, and the section figures of a thematic part.

The scoring summary sheet gives each criterion of the main framework its result, and the
section and overall scores as printed; a thematic element prints its own section figures
above its findings.
"""

from __future__ import annotations

import re

from esi_desktop.errors import ReportParseError
from esi_desktop.frameworks import Framework
from esi_desktop.report.joining import Block
from esi_desktop.report.lexer import (
    Info,
    Kind,
    Vocab,
    is_result,
    norm_title,
    parse_percent,
    result_suffix,
)
from esi_desktop.report.messages import at_loc, list_codes, snippet
from esi_desktop.report.reader import Reader

_SECTION_FIGURE = re.compile(r"(?:score for )?section ([a-z])(?: score)?")


class ScoresReader(Reader):
    """Criterion results and printed section and overall figures."""

    def scoring_sheet(
        self, start: int, fw: Framework
    ) -> tuple[dict[str, int | str], dict[str, int], int | None, int]:
        results: dict[str, tuple[int | str, str]] = {}
        sections: dict[str, int] = {}
        overall: int | None = None
        stop = frozenset(
            {
                Kind.CAPS,
                Kind.LABEL,
                Kind.BULLET,
                Kind.NUMBERED,
                Kind.HEADING,
                Kind.ANCHOR,
                Kind.REPORT_ON,
            }
        )
        i = start + 1
        last_read = start
        while i < len(self.blocks):
            block = self.blocks[i]
            info = block.info
            label, value = _split_result(info, self.vocab)
            percent = parse_percent(value) if value else None
            if label.casefold().startswith("overall") and percent is not None:
                if fw.has_overall:
                    overall = self.checked_figure(block, percent, "overall score")
                last_read = i
                i += 1
                continue
            if info.kind in stop:
                break
            last_read = i
            if info.kind is Kind.CRITERION and not info.importance:
                value = info.result
                if value is None and i + 1 < len(self.blocks):
                    following = self.blocks[i + 1]
                    if following.kind is Kind.RESULT:
                        value = following.info.result
                        i += 1
                        last_read = i
                self.sheet_criterion(block, fw, value, results)
            elif percent is not None:
                code = _section_code(label, fw)
                if code is not None:
                    figure = self.checked_figure(block, percent, f"section {code} score")
                    if figure is not None:
                        sections.setdefault(code, figure)
            i += 1
        missing = [c.code for c in fw.criteria if c.code not in results]
        if missing:
            head = self.blocks[start]
            last = self.blocks[last_read]
            raise ReportParseError(
                f"The scoring summary sheet in {self.source.name} is incomplete: no result was "
                f"found for {list_codes(missing)} (the sheet starts {at_loc(head.loc)} and was "
                f'read to {last.loc}, "{snippet(last.text)}"). The report may be cut off; '
                "choose the complete report's text or PDF file.",
                last.loc,
            )
        for section in fw.scored_sections:
            if section.code not in sections:
                self.warn(
                    self.blocks[start].loc,
                    f"the scoring summary sheet has no printed score for section "
                    f"{section.code} ({section.title}).",
                )
        if fw.has_overall and overall is None:
            self.warn(self.blocks[start].loc, "the scoring summary sheet has no overall score.")
        criteria = {c.code: results[c.code][0] for c in fw.criteria}
        return criteria, sections, overall, last_read

    def checked_figure(self, block: Block, figure: int, what: str) -> int | None:
        if figure > 100:
            self.warn(block.loc, f"the {what} {figure}% is over 100% and was ignored.")
            return None
        return figure

    def sheet_criterion(
        self,
        block: Block,
        fw: Framework,
        value: str | None,
        results: dict[str, tuple[int | str, str]],
    ) -> None:
        info = block.info
        if not fw.has_criterion(info.code):
            self.warn(
                block.loc,
                f"{info.code} is not a criterion of the {fw.short_title} framework; the line "
                "was ignored.",
            )
            return
        crit = fw.criterion(info.code)
        self.check_title(block, crit)
        if value is None:
            return
        typed = self.typed_result(block, crit, fw, value, strict=True)
        if typed is None:
            return
        if crit.code in results:
            earlier, where = results[crit.code]
            if earlier != typed:
                self.warn(
                    block.loc,
                    f"the scoring summary sheet gives {crit.code} a second time as {typed}; "
                    f"the first result ({earlier}, {where}) is used.",
                )
            return
        results[crit.code] = (typed, block.loc)

    def section_figures(self, start: int, end: int, fw: Framework) -> dict[str, int]:
        figures: dict[str, int] = {}
        for i in range(start, end):
            block = self.blocks[i]
            if block.kind not in (Kind.TEXT, Kind.SECTION, Kind.HEADING, Kind.CAPS):
                continue
            label, value = _split_result(block.info, self.vocab)
            percent = parse_percent(value) if value else None
            if percent is None:
                continue
            code = _section_code(label, fw)
            if code is None:
                continue
            figure = self.checked_figure(block, percent, f"section {code} figure")
            if figure is None:
                continue
            if code in figures and figures[code] != figure:
                self.warn(
                    block.loc,
                    f"the {fw.short_title} figure for section {code} is printed again as "
                    f"{figure}%; the first one ({figures[code]}%) is used.",
                )
                continue
            figures[code] = figure
        return figures


def _split_result(info: Info, vocab: Vocab) -> tuple[str, str | None]:
    """(label, result) of a table-like line: the last cell when it is a result."""
    cells = info.cells
    if len(cells) >= 2 and is_result(cells[-1], vocab):
        return " ".join(cells[:-1]), cells[-1]
    split = result_suffix(info.text, vocab)
    if split is not None:
        return split
    return info.text, None


def _section_code(label: str, fw: Framework) -> str | None:
    folded = norm_title(label)
    match = _SECTION_FIGURE.fullmatch(folded)
    if match:
        code = match.group(1).upper()
        return code if any(s.code == code for s in fw.sections) else None
    for section in fw.sections:
        if folded == norm_title(section.title):
            return section.code
    return None
