"""Community representation rules (DESIGN rules 2 and 3), pure and free of Django."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = [
    "COMMUNITY",
    "Composition",
    "Step",
    "Term",
    "composition_ahead",
    "first_shortfall",
    "SeatPlan",
    "community_seat_count",
    "percent_str",
    "seat_plan",
]

# The sector of the community seats (members.models.Sector.COMMUNITY).
COMMUNITY = "community"

_HALF = Fraction(1, 2)


def _check_share(value: Decimal, what: str) -> Fraction:
    """Return a share in [0, 1) as an exact fraction, or raise ValueError naming it."""
    try:
        share = Fraction(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{what} must be a number between 0 and 1, not {value!r}") from exc
    if not 0 <= share < 1:
        raise ValueError(f"{what} must be at least 0 and less than 1, not {value}")
    return share


def _round_half_up(value: Fraction) -> int:
    """Round a fraction to the nearest whole number, halves going up."""
    return math.floor(value + _HALF)


def percent_str(fr: Fraction) -> str:
    """Format a share as a whole percentage rounded half-up, e.g. Fraction(2, 7) → "29%"."""
    return f"{_round_half_up(Fraction(fr) * 100)}%"


def community_seat_count(other_seats: int, min_share: Decimal) -> int:
    """Return the fewest community seats c with c / (other_seats + c) >= min_share."""
    if other_seats < 0:
        raise ValueError(f"other seats cannot be negative, not {other_seats}")
    share = _check_share(min_share, "the minimum community share")
    # c / (o + c) >= m  <=>  c * (1 - m) >= m * o, since 1 - m > 0.
    return math.ceil(share * other_seats / (1 - share))


@dataclass(frozen=True)
class SeatPlan:
    """The seat counts of a ToR's seat plan, the share line's count computed (DESIGN rule 2)."""

    community: int
    total: int
    share_line: int

    def capacity(self, count: int | None) -> int:
        """The places of one seat line: its count, or the computed count of the share line."""
        return count if count is not None else self.share_line


def seat_plan(lines: Iterable[tuple[str, int | None]], min_share: Decimal) -> SeatPlan:
    """Count a seat plan given as (sector, count) lines, count None for the share line.

    The community seats are the fixed community ones, or, when a line takes its count from
    the share, the fewest that reach the minimum share against the other fixed seats (never
    fewer than the fixed community ones); the share line holds the difference.
    """
    lines = list(lines)
    fixed_community = sum(n for sector, n in lines if sector == COMMUNITY and n)
    others = sum(n for sector, n in lines if sector != COMMUNITY and n)
    share_lines = sum(1 for _, n in lines if n is None)
    if not share_lines:
        community = fixed_community
    else:
        community = max(community_seat_count(others, min_share), fixed_community)
    share_line = community - fixed_community
    fixed = sum(n for _, n in lines if n is not None)
    return SeatPlan(
        community=community, total=fixed + share_lines * share_line, share_line=share_line
    )


@dataclass(frozen=True)
class Composition:
    """How many of a roster's members are community members, against the ToR minimum."""

    members: int
    community: int
    minimum: Decimal

    def __post_init__(self) -> None:
        if self.members < 0:
            raise ValueError(f"members cannot be negative, not {self.members}")
        if not 0 <= self.community <= self.members:
            raise ValueError(
                f"community members must be between 0 and {self.members}, not {self.community}"
            )
        _check_share(self.minimum, "the minimum community share")

    @property
    def share(self) -> Fraction:
        """The community share of all members; 0 for an empty roster."""
        if self.members == 0:
            return Fraction(0)
        return Fraction(self.community, self.members)

    @property
    def _minimum(self) -> Fraction:
        return Fraction(self.minimum)

    @property
    def meets_minimum(self) -> bool:
        """Whether the share reaches the minimum (an empty roster misses a positive one)."""
        return self.share >= self._minimum

    @property
    def shortfall(self) -> int:
        """The fewest community appointments to add for the share to reach the minimum."""
        if self.meets_minimum:
            return 0
        m = self._minimum
        # (community + k) / (members + k) >= m  <=>  k * (1 - m) >= m * members - community.
        needed = math.ceil((m * self.members - self.community) / (1 - m))
        # An empty roster needs one appointment even though the formula gives 0.
        return max(needed, 1)

    @property
    def share_str(self) -> str:
        """The share to two decimals, rounded half-up, e.g. "0.17"."""
        hundredths = _round_half_up(self.share * 100)
        return f"{hundredths // 100}.{hundredths % 100:02d}"

    @property
    def percent(self) -> int:
        """The share as a whole percentage, rounded half-up, e.g. 17."""
        return _round_half_up(self.share * 100)

    @property
    def minimum_str(self) -> str:
        """The minimum as written in exports: two decimals at least, e.g. "0.30"."""
        minimum = Decimal(self.minimum)
        exponent = minimum.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            return str(minimum)
        return str(minimum.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def describe(self) -> str:
        """One line for the roster, e.g. "4 of 23 community members, 17%; 5 more needed for 30%"."""
        head = f"{self.community} of {self.members} community members, {self.percent}%"
        minimum = percent_str(self._minimum)
        if self.meets_minimum:
            return f"{head}; meets the minimum of {minimum}"
        return f"{head}; {self.shortfall} more needed for {minimum}"

    def as_export(self) -> dict[str, Any]:
        """The records-format "composition" block."""
        return {
            "members": self.members,
            "community": self.community,
            "share": self.share_str,
            "minimum": self.minimum_str,
            "meets_minimum": self.meets_minimum,
            "shortfall": self.shortfall,
        }


# The composition ahead (issue 18, capability 3) ------------------------------------------


@dataclass(frozen=True)
class Term:
    """One appointment as the forecast needs it: its seat's sector and its dates (both in)."""

    sector: str
    start: dt.date
    end: dt.date | None = None

    def active_on(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


@dataclass(frozen=True)
class Step:
    """The composition from one date to another (both included), unchanged in between."""

    start: dt.date
    end: dt.date
    composition: Composition


def composition_ahead(
    terms: Iterable[Term], *, start: dt.date, end: dt.date, minimum: Decimal
) -> list[Step]:
    """The composition on every date from start to end (both included), as steps.

    The composition changes only on a day an appointment starts or the day after one ends, so
    those days cut the period into steps; each step holds for every date within it."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    terms = list(terms)
    one_day = dt.timedelta(days=1)
    cuts = {start}
    for term in terms:
        if start < term.start <= end:
            cuts.add(term.start)
        if term.end is not None and start <= term.end < end:
            cuts.add(term.end + one_day)
    days = sorted(cuts)
    steps: list[Step] = []
    for index, day in enumerate(days):
        last = days[index + 1] - one_day if index + 1 < len(days) else end
        active = [t for t in terms if t.active_on(day)]
        composition = Composition(
            members=len(active),
            community=sum(1 for t in active if t.sector == COMMUNITY),
            minimum=minimum,
        )
        if steps and steps[-1].composition == composition:
            # One ending and another starting the next day: the same composition goes on.
            steps[-1] = Step(steps[-1].start, last, composition)
        else:
            steps.append(Step(day, last, composition))
    return steps


def first_shortfall(steps: Sequence[Step]) -> Step | None:
    """The first step whose share falls below the minimum, or None if none does."""
    return next((step for step in steps if not step.composition.meets_minimum), None)
