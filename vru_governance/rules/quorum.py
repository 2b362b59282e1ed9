"""Quorum per agenda item (DESIGN rule 4), pure and free of Django."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = [
    "Attendee",
    "Group",
    "Item",
    "ItemQuorum",
    "MeetingQuorum",
    "Member",
    "QuorumError",
    "Rules",
    "item_quorum",
    "meeting_quorum",
    "headcount",
    "needed_for",
    "not_quorate",
    "parse_fraction",
]

MEMBER = "member"
SUBSTITUTE = "substitute"
IN_ATTENDANCE = "in_attendance"
APOLOGIES = "apologies"
CAPACITIES = frozenset({MEMBER, SUBSTITUTE, IN_ATTENDANCE, APOLOGIES})


class QuorumError(ValueError):
    """An attendance record that quorum cannot be computed from; names the people and item."""

    def __init__(self, message: str, people: tuple[str, ...] = (), item: str | None = None):
        super().__init__(message)
        self.people = people
        self.item = item


@dataclass(frozen=True)
class Group:
    """A required group: satisfied by a member whose seat sector or key is in any_of."""

    label: str
    any_of: frozenset[str]
    representative_allowed: bool = False


@dataclass(frozen=True)
class Rules:
    """The quorum rules of the ToR in force on the meeting date."""

    fraction: Fraction
    substitutes_count: bool
    remote_counts: bool
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Member:
    """A person with an active appointment on the meeting date; tags = seat sector and seat key."""

    person: str
    tags: frozenset[str]


@dataclass(frozen=True)
class Attendee:
    """One attendance record; from/to are inclusive item positions, None for first/last."""

    person: str
    capacity: str
    on_behalf_of: str | None = None
    remote: bool = False
    from_index: int | None = None
    to_index: int | None = None


@dataclass(frozen=True)
class Item:
    """An agenda item and the people who declared an interest and withdrew for it."""

    number: str
    withdrawn: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ItemQuorum:
    """Quorum for one item; counted = the member person keys represented in the headcount."""

    number: str
    present: int
    needed: int
    quorate: bool
    missing: tuple[str, ...]
    counted: tuple[str, ...]

    @property
    def headcount(self) -> str:
        """'16 present, 11 needed, but no one present for Health': what the item lacked."""
        return headcount(self.present, self.needed, self.missing)

    def not_quorate(self, item: str = "this item") -> str:
        """The sentence for an item without quorum (see not_quorate())."""
        return not_quorate(self.present, self.needed, self.missing, item=item)


def _groups(missing: Sequence[str]) -> str:
    """'Health', 'Health and for Police', 'Chair, for Health and for Police'."""
    names = [*missing[:1], *(f"for {m}" for m in missing[1:])]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def headcount(present: int, needed: int, missing: Sequence[str]) -> str:
    """What an item without quorum lacked, in words: '9 present, 12 needed', '16 present, 11
    needed, but no one present for Health', '9 present, 12 needed, and no one present for
    Health'."""
    figures = f"{present} present, {needed} needed"
    if not missing:
        return figures
    joiner = "but" if present >= needed else "and"
    return f"{figures}, {joiner} no one present for {_groups(missing)}"


def not_quorate(
    present: int, needed: int, missing: Sequence[str], *, item: str = "this item"
) -> str:
    """'The meeting was not quorate for this item: 16 present, 11 needed, but no one present
    for Health': the one wording of the minutes, the workspace and the importer; each caller
    ends the sentence its way."""
    return f"The meeting was not quorate for {item}: {headcount(present, needed, missing)}"


@dataclass(frozen=True)
class MeetingQuorum:
    """Quorum for a whole meeting, item by item."""

    members: int
    needed: int
    present: int
    quorate: bool
    missing: tuple[str, ...]
    items: tuple[ItemQuorum, ...]

    def as_export(self) -> dict[str, Any]:
        """The records-format "quorum" block."""
        return {
            "members": self.members,
            "needed": self.needed,
            "present": self.present,
            "quorate": self.quorate,
            "missing": list(self.missing),
            "items": [
                {
                    "number": item.number,
                    "present": item.present,
                    "quorate": item.quorate,
                    "missing": list(item.missing),
                }
                for item in self.items
            ],
        }

    def lost_at(self) -> tuple[str, ...]:
        """The numbers of the items at which the meeting was not quorate."""
        return tuple(item.number for item in self.items if not item.quorate)


def needed_for(members: int, fraction: Fraction) -> int:
    """The headcount needed: members × fraction, rounded up when not whole."""
    if members < 0:
        raise ValueError(f"members cannot be negative, not {members}")
    return math.ceil(members * Fraction(fraction))


def parse_fraction(text: str) -> Fraction:
    """Read a quorum fraction such as "1/2" or "0.5"; it must be above 0 and at most 1."""
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{text!r} is not a fraction such as 1/2") from exc
    if not 0 < value <= 1:
        raise ValueError(f"the quorum fraction must be above 0 and at most 1, not {text}")
    return value


def _roster(members: Sequence[Member]) -> dict[str, Member]:
    return {member.person: member for member in members}


def _check_records(roster: dict[str, Member], attendees: Sequence[Attendee]) -> None:
    """Refuse records that name a capacity or a member the roster does not have."""
    for a in attendees:
        if a.capacity not in CAPACITIES:
            raise QuorumError(
                f"{a.person} is recorded with an unknown capacity {a.capacity!r}",
                people=(a.person,),
            )
        if a.capacity == MEMBER and a.person not in roster:
            raise QuorumError(
                f"{a.person} is recorded as a member but has no active appointment "
                "on the meeting date",
                people=(a.person,),
            )
        if a.capacity == SUBSTITUTE and a.on_behalf_of not in roster:
            absent = a.on_behalf_of or "nobody"
            raise QuorumError(
                f"{a.person} is recorded as a substitute for {absent}, who has no active "
                "appointment on the meeting date",
                people=(a.person,) if a.on_behalf_of is None else (a.person, a.on_behalf_of),
            )


def _there(a: Attendee, item: Item, index: int) -> bool:
    """Whether a member or substitute sat for the item and did not withdraw from it."""
    if a.capacity not in (MEMBER, SUBSTITUTE):
        return False
    first = 0 if a.from_index is None else a.from_index
    last = index if a.to_index is None else a.to_index
    return first <= index <= last and a.person not in item.withdrawn


def _item_quorum(
    rules: Rules,
    roster: dict[str, Member],
    attendees: Sequence[Attendee],
    item: Item,
    index: int,
) -> ItemQuorum:
    there = [a for a in attendees if _there(a, item, index)]
    _refuse_double_count(there, item)

    counting = [a for a in there if rules.remote_counts or not a.remote]
    counted: set[str] = set()
    # Tags of the seats that satisfy groups in person, and of those stood in for.
    own_tags: set[str] = set()
    represented_tags: set[str] = set()
    for a in counting:
        if a.capacity == MEMBER:
            counted.add(a.person)
            own_tags |= roster[a.person].tags
        else:
            assert a.on_behalf_of is not None  # checked by _check_records
            if rules.substitutes_count:
                counted.add(a.on_behalf_of)
            represented_tags |= roster[a.on_behalf_of].tags

    missing = tuple(
        group.label
        for group in rules.groups
        if not (
            group.any_of & own_tags
            or (group.representative_allowed and group.any_of & represented_tags)
        )
    )
    needed = needed_for(len(roster), rules.fraction)
    order = [m for m in roster if m in counted]
    return ItemQuorum(
        number=item.number,
        present=len(counted),
        needed=needed,
        quorate=len(counted) >= needed and not missing,
        missing=missing,
        counted=tuple(order),
    )


def item_quorum(
    rules: Rules,
    members: Sequence[Member],
    attendees: Sequence[Attendee],
    items: Sequence[Item],
    index: int,
) -> ItemQuorum:
    """Quorum for the item at position index: headcount and required groups."""
    roster = _roster(members)
    _check_records(roster, attendees)
    return _item_quorum(rules, roster, attendees, items[index], index)


def meeting_quorum(
    rules: Rules,
    members: Sequence[Member],
    attendees: Sequence[Attendee],
    items: Sequence[Item],
) -> MeetingQuorum:
    """Quorum for every item of a meeting and for the meeting as a whole."""
    roster = _roster(members)
    _check_records(roster, attendees)
    # A meeting without items is judged as if it had one.
    judged = list(items) or [Item("")]
    results = [_item_quorum(rules, roster, attendees, item, i) for i, item in enumerate(judged)]
    counted = {person for result in results for person in result.counted}
    missing_any = {label for result in results for label in result.missing}
    labels = list(dict.fromkeys(group.label for group in rules.groups))
    return MeetingQuorum(
        members=len(roster),
        needed=needed_for(len(roster), rules.fraction),
        present=len(counted),
        quorate=all(result.quorate for result in results),
        missing=tuple(label for label in labels if label in missing_any),
        items=tuple(results) if items else (),
    )


def _refuse_double_count(there: Sequence[Attendee], item: Item) -> None:
    """A member and their substitute never both count for the same item."""
    members_there = {a.person for a in there if a.capacity == MEMBER}
    for a in there:
        if a.capacity == SUBSTITUTE and a.on_behalf_of in members_there:
            raise QuorumError(
                f"{a.on_behalf_of} and their substitute {a.person} are both recorded "
                f"present for item {item.number}",
                people=(a.on_behalf_of, a.person),
                item=item.number,
            )


def check_no_double_count(attendees: Sequence[Attendee], items: Sequence[Item]) -> None:
    """Raise QuorumError if a member and their substitute are both there for any item."""
    judged = list(items) or [Item("")]
    for index, item in enumerate(judged):
        _refuse_double_count([a for a in attendees if _there(a, item, index)], item)
