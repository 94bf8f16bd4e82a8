"""Reading the back matter: the next steps after publication and the national targets table."""

from __future__ import annotations

import re

from esi_desktop.report.joining import Block
from esi_desktop.report.lexer import MONTH_ALT, Kind, demark, split_cells
from esi_desktop.report.reader import Reader
from esi_desktop.report.results import NationalTarget, NextSteps

_FOLLOW_UP_WHEN = re.compile(
    rf"\b(spring|summer|autumn|winter|{MONTH_ALT}) (?:of )?([0-9]{{4}})\b", re.I
)
_WITHIN_MONTHS = re.compile(r"\bwithin ([a-z0-9-]{1,15}) months?\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
}
_NUMBER_WORDS.update({"twenty-four": 24, "thirty-six": 36})


class BackMatterReader(Reader):
    """The response deadline, implementation period, follow-up timing and targets table."""

    def next_steps(self, foreword: tuple[int, int]) -> NextSteps:
        response: int | None = None
        implementation: int | None = None
        start = self.find(lambda b: b.text.casefold().rstrip(": ") == "next steps")
        texts: list[str] = []
        if start >= 0:
            end = self.region_end(start, frozenset({Kind.CAPS, Kind.SECTION, Kind.HEADING}))
            texts = [self.blocks[i].info.body or self.blocks[i].text for i in range(start, end)]
            for sentence in _sentences(" ".join(texts)):
                folded = sentence.casefold()
                match = _WITHIN_MONTHS.search(sentence)
                if match is None:
                    continue
                months = _number(match.group(1))
                if implementation is None and "implemented" in folded:
                    implementation = months
                elif response is None and ("respon" in folded or "action plan" in folded):
                    response = months
            if response is None:
                self.warn(
                    self.blocks[start].loc,
                    "the next steps do not say within how many months the Board must respond.",
                )
        else:
            self.warn("", 'The report has no "Next steps" section; enter the deadlines by hand.')
        follow_up: str | None = None
        f_start, f_end = foreword
        sources = []
        if f_start >= 0:
            sources.append(" ".join(self.blocks[i].text for i in range(f_start + 1, f_end)))
        sources.append(" ".join(texts))
        for text in sources:
            for sentence in _sentences(text):
                folded = sentence.casefold()
                if not any(
                    w in folded for w in ("follow-up", "follow up", "take place", "re-inspect")
                ):
                    continue
                match = _FOLLOW_UP_WHEN.search(sentence)
                if match:
                    follow_up = f"{match.group(1).capitalize()} {match.group(2)}"
                    break
            if follow_up:
                break
        return NextSteps(response, implementation, follow_up)

    def national_targets(self) -> tuple[NationalTarget, ...]:
        def is_header(block: Block) -> bool:
            cells = [c.casefold() for c in block.info.cells]
            return "target" in cells and any("average" in c for c in cells)

        head = self.find(is_header)
        if head < 0:
            self.warn("", "No national performance targets table was found in the report.")
            return ()
        blocks = self.blocks
        stop = frozenset(Kind) - {Kind.TEXT, Kind.RESULT, Kind.DATE}

        def usable(j: int) -> bool:
            return j < len(blocks) and blocks[j].kind not in stop

        def row_at(j: int) -> tuple[tuple[str, ...], int]:
            """The cells of the row starting at block j, and the index of its last block."""
            start, raw = j, blocks[j].raw
            cells = split_cells(demark(raw))
            # A row wrapped after a cell boundary comes out as several logical lines; a
            # following line that is a whole row on its own is not part of this one.
            while len(cells) < 4 and j - start < 3 and usable(j + 1):
                following = blocks[j + 1]
                if len(following.info.cells) >= 4:
                    break
                raw = f"{raw} {following.raw}"
                cells = split_cells(demark(raw))
                j += 1
            return cells, j

        i = head + 1
        # A header wrapped inside its last cell ("England & Wales average" / "2003/2004").
        while (
            usable(i)
            and len(blocks[i].info.cells) == 1
            and len(blocks[i].text) <= 30
            and "%" not in blocks[i].text
            and usable(i + 1)
            and len(row_at(i + 1)[0]) >= 4
        ):
            i += 1
        rows: list[NationalTarget] = []
        while usable(i):
            cells, last = row_at(i)
            if len(cells) < 4:
                if rows and len(cells) == 1:
                    # The last cell of the row above, wrapped onto a line of its own.
                    row = rows[-1]
                    average = f"{row.national_average} {cells[0]}"
                    rows[-1] = NationalTarget(row.measure, row.target, row.area, average)
                    i = last + 1
                    continue
                break
            rows.append(NationalTarget(" ".join(cells[:-3]), cells[-3], cells[-2], cells[-1]))
            i = last + 1
        if not rows:
            self.warn(
                self.blocks[head].loc,
                "the national performance targets table has a heading but no rows.",
            )
        return tuple(rows)


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(text)


def _number(word: str) -> int | None:
    word = word.casefold()
    if word.isdigit() and len(word) <= 3:
        return int(word)
    return _NUMBER_WORDS.get(word)
