"""Inspection frameworks as data: one loader that reads and validates the TOML files.

A framework file declares its kind. A scored framework (ESI, the default) lists its sections,
its criteria (critical/important, percentage or rating in words), the weight of each scored
section in the overall score and the ordered rating scale. A rated framework (today's
inspections) lists its domains and standards, each rated on a scale with points, and how the
points make the overall rating (:mod:`esi_desktop.rated_frameworks`); it is read into the same
:class:`Framework`, its domains as sections and its standards as criteria rated in words.
Adding a framework adds a file to ``resources/frameworks``; no code changes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from esi_desktop.errors import FrameworkError
from esi_desktop.rated_frameworks import RatedRules, read_rated_rules, refuse_unknown_keys
from esi_desktop.resources import FRAMEWORKS_DIR
from esi_desktop.wording import action_reference, parse_reference


class FrameworkKind(Enum):
    """How a framework judges: scored in percentages (ESI) or rated standard by standard."""

    SCORED = "scored"
    RATED = "rated"


class ResultKind(Enum):
    """How the Inspectorate records a criterion's result."""

    PERCENT = "percent"
    RATING = "rating"


@dataclass(frozen=True)
class Criterion:
    """One inspection criterion, such as B1 "Assessment of risk of harm"."""

    code: str
    section: str
    title: str
    kind: ResultKind
    importance: str | None
    weight: int

    @property
    def is_scored(self) -> bool:
        """True when the criterion counts towards its section's percentage score."""
        return self.kind is ResultKind.PERCENT


@dataclass(frozen=True)
class Section:
    """A section of the framework (A management, B assessment, ...)."""

    code: str
    title: str
    weight: int | None
    criteria: tuple[Criterion, ...]

    @property
    def scored_criteria(self) -> tuple[Criterion, ...]:
        """The criteria with a percentage result, the only ones that make the section score."""
        return tuple(c for c in self.criteria if c.is_scored)

    @property
    def is_scored(self) -> bool:
        """True when the section has a percentage score."""
        return bool(self.scored_criteria)


@dataclass(frozen=True)
class Framework:
    """A whole framework, scored or rated.

    A rated framework's sections are its domains and its criteria its standards, every one
    rated in words on :attr:`rating_scale`; it has no percentage score (``has_overall`` is
    false) and :attr:`rated` holds its points, what counts and its overall rule.
    """

    id: str
    title: str
    short_title: str
    has_overall: bool
    overall_title: str
    rating_scale: tuple[str, ...]
    sections: tuple[Section, ...]
    report_heading: str | None = None
    _by_code: Mapping[str, Criterion] = field(default_factory=dict, repr=False, compare=False)
    kind: FrameworkKind = FrameworkKind.SCORED
    rated: RatedRules | None = None

    @property
    def is_rated(self) -> bool:
        """True for a rated framework (standards rated Outstanding … Inadequate)."""
        return self.kind is FrameworkKind.RATED

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion in report order."""
        return tuple(c for s in self.sections for c in s.criteria)

    def criterion(self, code: str) -> Criterion:
        """The criterion with this code.

        Raises:
            FrameworkError: the framework has no such criterion.
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise FrameworkError(
                f"The {self.short_title} framework has no criterion {code!r}."
            ) from None

    def has_criterion(self, code: str) -> bool:
        """True when the framework has a criterion with this code."""
        return code in self._by_code

    def section(self, code: str) -> Section:
        """The section with this code.

        Raises:
            FrameworkError: the framework has no such section.
        """
        for section in self.sections:
            if section.code == code:
                return section
        raise FrameworkError(f"The {self.short_title} framework has no section {code!r}.")

    @property
    def scored_sections(self) -> tuple[Section, ...]:
        """Sections that have a percentage score, in order."""
        return tuple(s for s in self.sections if s.is_scored)

    def rating_rank(self, rating: str) -> int:
        """Position of a rating on the scale, 0 being the best.

        Raises:
            FrameworkError: the rating is not on this framework's scale.
        """
        normalised = normalise_rating(rating, self.rating_scale)
        if normalised is None:
            scale = ", ".join(self.rating_scale)
            raise FrameworkError(f"{rating!r} is not a rating on the scale ({scale}).")
        return self.rating_scale.index(normalised)


#: Longer than any rating, however spaced: a table cell that is longer is not a rating.
_LONGEST_RATING_TEXT = 500


def normalise_rating(text: str, scale: tuple[str, ...]) -> str | None:
    """The rating on ``scale`` that ``text`` names, ignoring case and spacing; else None."""
    if len(text) > _LONGEST_RATING_TEXT:
        return None  # a paragraph: spare splitting it into words
    wanted = " ".join(text.split()).casefold()
    for rating in scale:
        if rating.casefold() == wanted:
            return rating
    return None


def _fail(path: Path, message: str) -> FrameworkError:
    return FrameworkError(
        f"The framework file {path.name} is not valid: {message}. "
        "Correct the file or reinstall ESI Desktop."
    )


def _text(table: Mapping[str, Any], key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{where} has no {key}")
    return value.strip()


def _check_not_a_reference(path: Path, what: str, code: str) -> None:
    """Refuse a code that reads as an action plan reference ("AP3", "AP3.2")."""
    if parse_reference(code) is not None:
        raise _fail(
            path,
            f"{what} {code} reads as an action plan reference (such as {action_reference(3)}); "
            "give it a code that does not start with AP and a number",
        )


def load_framework(path: Path) -> Framework:
    """Read and validate one framework file.

    Raises:
        FrameworkError: the file is missing, is not TOML, or breaks a rule (missing weight,
            unknown section, duplicate code, section weights that do not add up to 100).
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FrameworkError(
            f"The framework file {path} is missing. Reinstall ESI Desktop."
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"it is not readable TOML ({exc})") from None
    return _build_framework(raw, path)


def _build_framework(raw: Mapping[str, Any], path: Path) -> Framework:
    try:
        framework_kind = FrameworkKind(raw.get("kind", FrameworkKind.SCORED.value))
    except ValueError:
        raise _fail(path, "kind must be 'scored' or 'rated'") from None
    if framework_kind is FrameworkKind.RATED:
        return _build_rated_framework(raw, path)
    framework_id = _text(raw, "id", path, "the file")
    title = _text(raw, "title", path, "the file")
    short_title = str(raw.get("short_title") or title)
    has_overall = raw.get("has_overall")
    if not isinstance(has_overall, bool):
        raise _fail(path, "has_overall must be true or false")
    scale = raw.get("rating_scale")
    if (
        not isinstance(scale, list)
        or len(scale) < 2
        or not all(isinstance(r, str) and r.strip() for r in scale)
    ):
        raise _fail(path, "rating_scale must list at least two ratings, best first")
    if len({r.casefold() for r in scale}) != len(scale):
        raise _fail(path, "rating_scale names a rating twice")
    importance_weights = raw.get("importance_weights")
    if not isinstance(importance_weights, dict) or not importance_weights:
        raise _fail(path, "importance_weights is missing (for example critical = 2)")
    for name, weight in importance_weights.items():
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise _fail(path, f"the weight of {name!r} criteria must be a whole number above 0")

    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise _fail(path, "it has no sections")
    section_rows: dict[str, tuple[str, int | None]] = {}
    for i, row in enumerate(raw_sections, start=1):
        code = _text(row, "code", path, f"section {i}")
        if code in section_rows:
            raise _fail(path, f"section {code} appears twice")
        _check_not_a_reference(path, "section", code)
        weight = row.get("weight")
        if weight is not None and (
            not isinstance(weight, int) or isinstance(weight, bool) or weight < 0
        ):
            raise _fail(path, f"section {code} has a weight that is not a whole number")
        section_rows[code] = (_text(row, "title", path, f"section {code}"), weight)

    raw_criteria = raw.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise _fail(path, "it has no criteria")
    by_code: dict[str, Criterion] = {}
    for i, row in enumerate(raw_criteria, start=1):
        code = _text(row, "code", path, f"criterion {i}")
        if code in by_code:
            raise _fail(path, f"criterion {code} appears twice")
        _check_not_a_reference(path, "criterion", code)
        section = _text(row, "section", path, f"criterion {code}")
        if section not in section_rows:
            raise _fail(path, f"criterion {code} names an unknown section {section!r}")
        try:
            kind = ResultKind(row.get("result"))
        except ValueError:
            raise _fail(
                path, f"criterion {code} must have result = 'percent' or 'rating'"
            ) from None
        importance = row.get("importance")
        weight = 0
        if kind is ResultKind.PERCENT:
            if importance not in importance_weights:
                known = ", ".join(importance_weights)
                raise _fail(path, f"criterion {code} has no importance weight (one of {known})")
            weight = importance_weights[importance]
        by_code[code] = Criterion(
            code=code,
            section=section,
            title=_text(row, "title", path, f"criterion {code}"),
            kind=kind,
            importance=importance if isinstance(importance, str) else None,
            weight=weight,
        )

    sections = tuple(
        Section(
            code=code,
            title=title_,
            weight=weight,
            criteria=tuple(c for c in by_code.values() if c.section == code),
        )
        for code, (title_, weight) in section_rows.items()
    )
    if has_overall:
        total = 0
        for scored in sections:
            if scored.is_scored:
                if scored.weight is None:
                    raise _fail(path, f"section {scored.code} is scored but has no weight")
                total += scored.weight
        if total != 100:
            raise _fail(path, f"the section weights add up to {total}, not 100")
    heading = raw.get("report_heading")
    return Framework(
        id=framework_id,
        title=title,
        short_title=short_title,
        has_overall=has_overall,
        overall_title=str(raw.get("overall_title") or "Overall score"),
        rating_scale=tuple(r.strip() for r in scale),
        sections=sections,
        report_heading=heading if isinstance(heading, str) else None,
        _by_code=by_code,
    )


#: The keys of a rated framework's [[domains]] and [[standards]] rows.
_DOMAIN_KEYS = frozenset({"code", "title"})
_STANDARD_KEYS = frozenset({"code", "domain", "title"})


def _build_rated_framework(raw: Mapping[str, Any], path: Path) -> Framework:
    framework_id = _text(raw, "id", path, "the file")
    title = _text(raw, "title", path, "the file")
    for scored_key in ("sections", "criteria"):
        if scored_key in raw:
            raise _fail(
                path,
                f"a rated framework lists [[domains]] and [[standards]], not [[{scored_key}]]",
            )
    domains = _rows(raw, "domains", path)
    titles: dict[str, str] = {}
    for i, row in enumerate(domains, start=1):
        code = _text(row, "code", path, f"domain {i}")
        if code in titles:
            raise _fail(path, f"domain {code} appears twice")
        refuse_unknown_keys(row, _DOMAIN_KEYS, f"domain {code}", lambda f: _fail(path, f))
        _check_not_a_reference(path, "domain", code)
        titles[code] = _text(row, "title", path, f"domain {code}")
    by_code: dict[str, Criterion] = {}
    for i, row in enumerate(_rows(raw, "standards", path), start=1):
        code = _text(row, "code", path, f"standard {i}")
        if code in by_code:
            raise _fail(path, f"standard {code} appears twice")
        # the last table of the file: a key added at its end would otherwise be ignored
        refuse_unknown_keys(row, _STANDARD_KEYS, f"standard {code}", lambda f: _fail(path, f))
        _check_not_a_reference(path, "standard", code)
        domain = _text(row, "domain", path, f"standard {code}")
        if domain not in titles:
            raise _fail(path, f"standard {code} names an unknown domain {domain!r}")
        by_code[code] = Criterion(
            code=code,
            section=domain,
            title=_text(row, "title", path, f"standard {code}"),
            kind=ResultKind.RATING,
            importance=None,
            weight=0,
        )
    rules = read_rated_rules(raw, tuple(by_code), lambda fault: _fail(path, fault))
    return Framework(
        id=framework_id,
        title=title,
        short_title=str(raw.get("short_title") or title),
        has_overall=False,  # no overall percentage: the overall rating is in ``rated``
        overall_title=str(raw.get("overall_title") or "Overall rating"),
        rating_scale=tuple(rating.name for rating in rules.ratings),
        sections=tuple(
            Section(
                code=code,
                title=domain_title,
                weight=None,
                criteria=tuple(c for c in by_code.values() if c.section == code),
            )
            for code, domain_title in titles.items()
        ),
        _by_code=by_code,
        kind=FrameworkKind.RATED,
        rated=rules,
    )


def _rows(raw: Mapping[str, Any], key: str, path: Path) -> list[Mapping[str, Any]]:
    rows = raw.get(key)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise _fail(path, f"it has no [[{key}]]")
    return rows


def load_frameworks(folder: Path = FRAMEWORKS_DIR) -> dict[str, Framework]:
    """Every framework in ``folder`` by id, in file-name order.

    Raises:
        FrameworkError: a file is malformed or two files share an id.
    """
    frameworks: dict[str, Framework] = {}
    for path in sorted(folder.glob("*.toml")):
        framework = load_framework(path)
        if framework.id in frameworks:
            raise _fail(path, f"its id {framework.id!r} is already used by another file")
        frameworks[framework.id] = framework
    return frameworks


@cache
def shipped_frameworks() -> dict[str, Framework]:
    """Every framework shipped with the program, of every kind, loaded once."""
    return load_frameworks(FRAMEWORKS_DIR)


def frameworks_of_kind(kind: FrameworkKind) -> dict[str, Framework]:
    """The shipped frameworks of one kind, by id, in file-name order."""
    return {fid: fw for fid, fw in shipped_frameworks().items() if fw.kind is kind}


def builtin_frameworks() -> dict[str, Framework]:
    """The shipped scored (ESI) frameworks: those an ESI report is read and scored against.

    Rated frameworks are left out on purpose: the report reader matches every framework it is
    given against the report's headings and criteria. Ask :func:`frameworks_of_kind` or
    :func:`shipped_frameworks` for them.
    """
    return frameworks_of_kind(FrameworkKind.SCORED)


def get_framework(framework_id: str) -> Framework:
    """The shipped framework with this id, of either kind.

    Raises:
        FrameworkError: no shipped framework has this id.
    """
    try:
        return shipped_frameworks()[framework_id]
    except KeyError:
        known = ", ".join(shipped_frameworks())
        raise FrameworkError(
            f"Unknown framework {framework_id!r}; this version knows {known}."
        ) from None


def get_rated_framework(framework_id: str) -> Framework:
    """The shipped rated framework with this id (its ``rated`` rules are set).

    Raises:
        FrameworkError: no shipped rated framework has this id; the sentence lists those there
            are.
    """
    framework = shipped_frameworks().get(framework_id.strip())
    if framework is None or framework.rated is None:
        rated = ", ".join(frameworks_of_kind(FrameworkKind.RATED)) or "none"
        what = (
            "is a scored framework, not a rated one"
            if framework
            else "is not a framework this version knows"
        )
        raise FrameworkError(f"{framework_id!r} {what}; the rated frameworks are {rated}.")
    return framework
