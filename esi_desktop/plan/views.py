"""The plan as the window, the documents and the commands see it: the views of its parts.

:func:`esi_desktop.plan.read.load_plan` reads them; :mod:`esi_desktop.plan.read` names them
too, as before they had a module of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from esi_desktop.errors import NotFoundError
from esi_desktop.rules import MilestoneStatus, Rag, ResponseProblem, StatutoryClock, draft_label
from esi_desktop.wording import action_reference, milestone_reference

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """A milestone as the window shows it."""

    id: int
    action_id: int
    title: str
    due_date: date
    status: str
    completed_on: date | None
    evidence: str
    position: int
    version: int
    overdue: bool
    due_soon: bool
    #: Given once within its action, never renumbered or reused (2 in "AP3.2").
    number: int | None = None
    #: Its action's number (3 in "AP3.2").
    action_number: int | None = None

    @property
    def reference(self) -> str:
        """ "AP3.2": the reference it keeps for good ("" if it was never numbered)."""
        if self.number is None or self.action_number is None:
            return ""
        return milestone_reference(self.action_number, self.number)


def _milestone_view_maker() -> Callable[..., MilestoneView]:
    """A positional :class:`MilestoneView` maker about three times faster than the class.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; a
    plan of 37,500 milestones spent 100 ms of its start-up there (issue 13). This sets the
    slots directly, as the class would, with the same values in the same order.
    """
    names = [f for f in MilestoneView.__slots__ if not f.startswith("__")]
    # the order of __init__: the dataclass's fields, which the slots follow
    assert names == list(MilestoneView.__dataclass_fields__), names
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12) = (
        getattr(MilestoneView, name).__set__ for name in names
    )
    new = object.__new__

    def make(
        id: int, action_id: int, title: str, due_date: date, status: str,
        completed_on: date | None, evidence: str, position: int, version: int, overdue: bool,
        due_soon: bool, number: int | None, action_number: int | None,
    ) -> MilestoneView:  # fmt: skip
        view = new(MilestoneView)
        s0(view, id)
        s1(view, action_id)
        s2(view, title)
        s3(view, due_date)
        s4(view, status)
        s5(view, completed_on)
        s6(view, evidence)
        s7(view, position)
        s8(view, version)
        s9(view, overdue)
        s10(view, due_soon)
        s11(view, number)
        s12(view, action_number)
        return view

    return make


def direct_maker(cls: type[T]) -> Callable[..., T]:
    """A maker of ``cls``, a frozen dataclass without slots or ``__post_init__``, from every
    field by keyword, about twice as fast as the class (which sets each field through
    ``object.__setattr__``): for the thousands of items a big plan lists at start-up.

    Raises:
        TypeError: (from the maker) a field is missing, or a name is not a field.
    """
    assert is_dataclass(cls) and not hasattr(cls, "__post_init__"), cls
    names = frozenset(f.name for f in fields(cls))
    new = object.__new__

    def make(**values: Any) -> T:
        if values.keys() != names:
            raise TypeError(f"{cls.__name__} takes {sorted(names)}, not {sorted(values)}")
        made: T = new(cls)
        made.__dict__.update(values)
        return made

    return make


#: ``milestone_view(id, action_id, title, due_date, status, completed_on, evidence, position,
#: version, overdue, due_soon, number, action_number)``: a :class:`MilestoneView`, made fast
#: (every argument given, positionally).
milestone_view = _milestone_view_maker()


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action with its milestones and derived progress and RAG."""

    id: int
    text: str
    owner: str
    target_date: date
    position: int
    version: int
    recommendation_ids: tuple[int, ...]
    criteria: tuple[tuple[str, str], ...]
    milestones: tuple[MilestoneView, ...]
    progress: Fraction
    derived_rag: Rag
    rag_override: Rag | None
    rag_override_reason: str
    at_risk: bool
    at_risk_reason: str
    internal_note: str
    #: Given once within the inspection, never renumbered or reused (3 in "AP3").
    number: int | None = None

    @property
    def reference(self) -> str:
        """ "AP3": the reference it keeps for good ("" if it was never numbered)."""
        return action_reference(self.number) if self.number is not None else ""

    @property
    def rag(self) -> Rag:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag

    @property
    def complete(self) -> bool:
        """Every milestone complete (an action with none is never complete)."""
        return bool(self.milestones) and all(
            m.status == MilestoneStatus.COMPLETE for m in self.milestones
        )


@dataclass(frozen=True)
class ResponseView:
    """A response to a recommendation as stored: the Board's response, or a draft of it.

    Attributes:
        problems: what keeps it a draft (empty for the Board's response).
    """

    category: str | None
    narrative: str
    part_agreed: str
    reason: str
    lead_owner: str
    version: int
    problems: tuple[ResponseProblem, ...] = ()

    @property
    def is_draft(self) -> bool:
        """True while it is incomplete: kept, shown as a draft, never printed as the response."""
        return bool(self.problems)

    @property
    def draft_label(self) -> str:
        """ "Draft — needs: why the rest is not agreed" (empty for a complete response)."""
        return draft_label(self.problems) if self.problems else ""


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with its response, actions and derived progress and RAG."""

    id: int
    reference: str
    text: str
    framework_id: str
    position: int
    version: int
    criteria: tuple[tuple[str, str], ...]
    #: The Board's (complete) response; None while there is none or only a draft.
    response: ResponseView | None
    action_ids: tuple[int, ...]
    progress: Fraction
    derived_rag: Rag | None
    rag_override: Rag | None
    rag_override_reason: str
    self_assessment: str | None
    internal_note: str
    #: What a secretary has typed but not completed; never the Board's response.
    draft: ResponseView | None = None
    #: The version of the stored response row (complete, draft or emptied), None if none:
    #: what the next save of the response expects.
    response_version: int | None = None
    #: The words the report prints before it ("The Probation Board should ensure that:"),
    #: "" when the report printed none.
    stem: str = ""
    #: Who the recommendation is addressed to ("Probation Board", "YJS Service Manager").
    addressee: str = ""

    @property
    def rag(self) -> Rag | None:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag

    @property
    def stored_response(self) -> ResponseView | None:
        """The stored response, complete or draft: what the response editor shows."""
        return self.response or self.draft

    @property
    def category(self) -> str | None:
        """The response category, if the Board has responded."""
        return self.response.category if self.response else None


@dataclass(frozen=True)
class PlanView:
    """An inspection's whole response and action plan."""

    inspection_id: int
    published: date
    today: date
    recommendations: tuple[RecommendationView, ...]
    #: The statutory clock (:func:`esi_desktop.inspections.inspection_clock`).
    clock: StatutoryClock
    actions: dict[int, ActionView] = field(default_factory=dict)

    def remembered(self, key: Hashable, work: Callable[[], T]) -> T:
        """``work()``, worked out once for this plan as read: the Dashboard and the Due and
        overdue panel both list what is overdue at start-up, from the same plan.

        Safe because a plan as read never changes: an edit reads a new one
        (:func:`esi_desktop.plan.refresh.refresh_plan`), which remembers nothing yet.

        Args:
            key: what was worked out and from what else (("overdue", today)).
        """
        memo: dict[Hashable, Any] = self.__dict__.setdefault("_remembered", {})
        try:
            return memo[key]  # type: ignore[no-any-return]
        except KeyError:
            found = memo[key] = work()
            return found

    def recommendation(self, recommendation_id: int) -> RecommendationView:
        """The recommendation with this id."""
        for recommendation in self.recommendations:
            if recommendation.id == recommendation_id:
                return recommendation
        raise NotFoundError(f"Recommendation {recommendation_id} is not in this plan.")

    @property
    def owners(self) -> list[str]:
        """Every owner named in the plan, for completion while typing."""
        names = {a.owner for a in self.actions.values() if a.owner}
        names |= {r.stored_response.lead_owner for r in self.recommendations if r.stored_response}
        return sorted(n for n in names if n)
