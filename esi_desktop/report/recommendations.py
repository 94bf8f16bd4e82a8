"""Reading a recommendations list: the items under "The Probation Board should ensure that:".

The main list follows the summary; a thematic element may have a list of its own.
"""

from __future__ import annotations

from esi_desktop.errors import ReportParseError
from esi_desktop.report.lexer import Kind, collapse
from esi_desktop.report.messages import at_loc, snippet
from esi_desktop.report.reader import Reader
from esi_desktop.report.results import ParsedRecommendation


class RecommendationsReader(Reader):
    """The recommendations of one list, numbered as printed."""

    def recommendations(
        self, anchor: int, framework_id: str, prefix: str
    ) -> list[ParsedRecommendation]:
        items: list[tuple[str, int | None, str]] = []
        for i in range(anchor + 1, len(self.blocks)):
            block = self.blocks[i]
            info = block.info
            if info.kind in (Kind.BULLET, Kind.NUMBERED):
                expected = len(items) + 1
                if (
                    info.kind is Kind.NUMBERED
                    and items
                    and items[-1][1] is not None
                    and info.number != expected
                ):
                    # A wrapped line that happens to start "12. " belongs to the item above.
                    text, number, loc = items[-1]
                    items[-1] = (f"{text} {block.text}", number, loc)
                    continue
                items.append((info.body, info.number, block.loc))
                self.note_guess(block, "recommendation")
            elif items and self.continues_item(i):
                # A paragraph split by a page break carries on the item above.
                text, number, loc = items[-1]
                items[-1] = (f"{text} {block.text}", number, loc)
            else:
                break
        if not items:
            head = self.blocks[anchor]
            raise ReportParseError(
                f'The recommendations list that starts {at_loc(head.loc)} ("{snippet(head.text)}") '
                f"has no recommendations under it in {self.source.name}. The report may be cut "
                "off; choose the complete report's text or PDF file.",
                head.loc,
            )
        stem = self.blocks[anchor].text
        out: list[ParsedRecommendation] = []
        for n, (text, number, loc) in enumerate(items, start=1):
            if number is not None and number != n:
                self.warn(
                    loc,
                    f"the recommendation numbered {number} is number {n} in the list; it was "
                    f"given the reference {prefix}{n}.",
                )
            out.append(ParsedRecommendation(f"{prefix}{n}", framework_id, collapse(text), stem))
        return out
