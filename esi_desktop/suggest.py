"""Suggesting the criteria a recommendation targets, from the report's own findings.

The report links recommendations to criteria only through its wording: recommendation 6
("…satisfactory risk of harm assessments…") echoes the findings under B1 "Assessment of risk
of harm" and C5 "Management of risk of harm". Each criterion is scored by the rare words it
shares with the recommendation (a word that appears under few criteria counts more), its
title counting three times its findings. Suggestions are a starting point the secretary
confirms or changes; they never overwrite a choice already made.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(
    """a about all also an and any are as at be been being but by can for from had has have
    in into is it its more no not of on or so such than that the their there these this to
    was were which while who will with within where should ensure area areas all made make
    put place used use using level levels cases case number some""".split()
)
TITLE_WEIGHT = 3
MAX_SUGGESTIONS = 3


def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Meaningful word stems of a text."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2]


class CriteriaIndex:
    """One framework's criteria as bags of word stems, built once and asked many times.

    Stemming a framework's titles and findings is most of the work of a suggestion; a report
    with many recommendations builds the index once (issue 13) and asks it for each one.
    """

    def __init__(self, titles: Mapping[str, str], findings: Mapping[str, Sequence[str]]) -> None:
        """Stem every title and finding once.

        Args:
            titles: criterion code → title, for one framework.
            findings: criterion code → texts found under it (description, areas for
                improvement).
        """
        documents: dict[str, Counter[str]] = {}
        for code, title in titles.items():
            bag: Counter[str] = Counter()
            for word in set(words(title)):
                bag[word] += TITLE_WEIGHT
            for text in findings.get(code, ()):
                for word in set(words(text)):
                    bag[word] += 1
            documents[code] = bag
        spread: Counter[str] = Counter()
        for bag in documents.values():
            spread.update(bag.keys())
        total = len(documents)
        #: code → stem → weight, the rarity of each stem already folded in
        self._weights: dict[str, dict[str, float]] = {}
        #: code → the divisor that evens out criteria with many findings
        self._norms: dict[str, float] = {}
        for code, bag in documents.items():
            self._weights[code] = {
                word: (math.log((1 + total) / (1 + spread[word])) + 1) * math.log(1 + count)
                for word, count in bag.items()
            }
            # a criterion with many findings shares words with everything: even that out
            self._norms[code] = math.sqrt(1 + len(bag))
        self._order = {code: position for position, code in enumerate(titles)}

    def suggest(self, recommendation: str) -> list[str]:
        """The criterion codes whose title and findings best echo a recommendation.

        Returns:
            Up to three codes, best first; empty when nothing stands out.
        """
        if not self._weights:
            return []
        wanted = set(words(recommendation))
        scores: dict[str, float] = {}
        for code, weights in self._weights.items():
            score = 0.0
            for word in wanted & weights.keys():
                score += weights[word]
            scores[code] = score / self._norms[code] * 10
        best = max(scores.values())
        if best <= 0:
            return []
        ranked = sorted(scores, key=lambda c: (-scores[c], self._order[c]))
        return [c for c in ranked[:MAX_SUGGESTIONS] if scores[c] >= 0.6 * best]


def suggest_criteria(
    recommendation: str,
    titles: Mapping[str, str],
    findings: Mapping[str, Sequence[str]],
) -> list[str]:
    """The criterion codes whose title and findings best echo a recommendation.

    Args:
        recommendation: the recommendation's text.
        titles: criterion code → title, for one framework.
        findings: criterion code → texts found under it (description, areas for improvement).

    Returns:
        Up to three codes, best first; empty when nothing stands out.
    """
    return CriteriaIndex(titles, findings).suggest(recommendation)


def suggest_for_all(
    recommendations: Iterable[tuple[str, str]],
    titles: Mapping[str, str],
    findings: Mapping[str, Sequence[str]],
) -> dict[str, list[str]]:
    """Suggestions for several recommendations (reference, text) of one framework.

    The framework's titles and findings are stemmed once, whatever the number of
    recommendations.
    """
    index = CriteriaIndex(titles, findings)
    return {ref: index.suggest(text) for ref, text in recommendations}
