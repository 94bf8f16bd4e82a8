"""Characters a document would print as empty boxes, named with where they are before export.

The fonts shipped cover Latin, Greek, Cyrillic, Hebrew, Arabic and many symbols, but not
Chinese, Japanese, Korean or most emoji. The command line prints these as warnings and the
window lists them with what is missing, so no box reaches a reader unannounced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from esi_desktop.export.fonts import unprintable
from esi_desktop.plan import PlanView
from esi_desktop.wording import plural, shorten

#: How much of an action's text names it in a sentence.
ACTION_TEXT_LIMIT = 60
#: How many characters a warning lists before "and N more".
LISTED = 8


@dataclass(frozen=True)
class UnprintableText:
    """Characters no font here can print, in one part of a document.

    Attributes:
        where: the part, as a sentence starts it ("Recommendation 7’s response").
        characters: each character once, in order of appearance.
    """

    where: str
    characters: tuple[str, ...]

    @property
    def message(self) -> str:
        """The warning: "Recommendation 7’s response has 2 characters the PDF cannot print
        (中 U+4E2D, 文 U+6587); they would show as empty boxes, so …"."""
        count = len(self.characters)
        shown = [f"{c} U+{ord(c):04X}" for c in self.characters[:LISTED]]
        if count > LISTED:
            shown.append(f"and {count - LISTED} more")
        if count == 1:
            consequence = "it would show as an empty box, so replace it or write it"
        else:
            consequence = "they would show as empty boxes, so replace them or write them"
        return (
            f"{self.where} has {plural(count, 'character')} the PDF cannot "
            f"print ({', '.join(shown)}); {consequence} out in words before the document goes out."
        )

    def __str__(self) -> str:
        return self.message


def unprintable_texts(parts: Iterable[tuple[str, str]]) -> list[UnprintableText]:
    """One warning per part (``(where, text)`` pairs; a part named twice is gathered into
    one), in the order the parts come, for the parts with characters no font can print."""
    found: dict[str, dict[str, None]] = {}
    for where, value in parts:
        characters = unprintable(value)
        if characters:
            found.setdefault(where, {}).update(dict.fromkeys(characters))
    return [UnprintableText(where, tuple(characters)) for where, characters in found.items()]


def plan_parts(plan: PlanView, *, progress: bool = False) -> Iterator[tuple[str, str]]:
    """The plan's own words as a document prints them, each with where it is.

    Args:
        progress: also the parts only a Board progress paper prints (self-assessments,
            reasons for a RAG set by hand, evidence).
    """
    for recommendation in plan.recommendations:
        name = f"Recommendation {recommendation.reference}"
        yield f"{name}’s reference", recommendation.reference
        yield f"{name}’s text", recommendation.text
        response = recommendation.response
        if response is not None:
            for value in (response.part_agreed, response.reason, response.narrative):
                yield f"{name}’s response", value
            yield f"{name}’s lead officer", response.lead_owner
        if progress:
            yield f"{name}’s self-assessment", recommendation.self_assessment or ""
            yield f"{name}’s reason for its RAG", recommendation.rag_override_reason
    for action in plan.actions.values():
        name = f"action “{shorten(action.text, ACTION_TEXT_LIMIT)}”"
        yield f"The text of {name}", action.text
        yield f"The owner of {name}", action.owner
        for milestone in action.milestones:
            yield f"A milestone of {name}", milestone.title
            if progress:
                yield f"The evidence for a milestone of {name}", milestone.evidence
        if progress:
            yield f"The reason for the RAG of {name}", action.rag_override_reason
