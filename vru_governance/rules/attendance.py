"""Board-wide attendance: who was expected at a meeting, who attended, and the percentages.

Pure: the caller states, per meeting, the members appointed on its date (expected) and what
the minutes record of each. Definitions, as the public attendance page states them:

- expected: every member holding an appointment on the meeting date, at a meeting whose
  minutes record attendance (minutes recording none say nothing of who came);
- attended: the member was present (in person or remotely, for all or part of the meeting);
- by substitute: the member was absent but a substitute attended on their behalf, named in
  the minutes; for the seat and the organisation the member holds, this counts as attended;
- apologies: the member sent apologies and no substitute attended for them;
- absent: none of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expected:
    """A member appointed on the meeting date, with what they are counted under."""

    person_id: int
    name: str
    seat: str
    organisation: str


@dataclass(frozen=True)
class MeetingRecord:
    """What the minutes of one meeting record of its members (ids of expected members)."""

    expected: tuple[Expected, ...]
    present: frozenset[int] = frozenset()
    substituted: frozenset[int] = frozenset()
    apologies: frozenset[int] = frozenset()

    def outcome(self, person_id: int) -> str:
        """'attended', 'substitute', 'apologies' or 'absent'; being there wins over a
        substitute also recorded for the member."""
        if person_id in self.present:
            return "attended"
        if person_id in self.substituted:
            return "substitute"
        if person_id in self.apologies:
            return "apologies"
        return "absent"


@dataclass
class Tally:
    """Counts over members × meetings, and the share attended (with or by substitute)."""

    expected: int = 0
    attended: int = 0
    substitute: int = 0
    apologies: int = 0
    absent: int = 0

    def add(self, outcome: str) -> None:
        self.expected += 1
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def represented(self) -> int:
        """Attended in person or by a named substitute: what the seat counts."""
        return self.attended + self.substitute

    @property
    def percent(self) -> int | None:
        """Attended in person, as a whole percentage of those expected (None: none expected)."""
        return round(100 * self.attended / self.expected) if self.expected else None

    @property
    def represented_percent(self) -> int | None:
        return round(100 * self.represented / self.expected) if self.expected else None


def meeting_tally(record: MeetingRecord) -> Tally:
    tally = Tally()
    for member in record.expected:
        tally.add(record.outcome(member.person_id))
    return tally


def year_tally(records: Iterable[MeetingRecord]) -> Tally:
    total = Tally()
    for record in records:
        for member in record.expected:
            total.add(record.outcome(member.person_id))
    return total


@dataclass
class Group:
    """A row of a table by seat, organisation or person."""

    label: str
    tally: Tally = field(default_factory=Tally)


def grouped(records: Iterable[MeetingRecord], key: Callable[[Expected], str]) -> list[Group]:
    """Tallies per group (seat, organisation or person), in alphabetical order of label."""
    groups: dict[str, Group] = {}
    for record in records:
        for member in record.expected:
            label = key(member)
            groups.setdefault(label, Group(label)).tally.add(record.outcome(member.person_id))
    return sorted(groups.values(), key=lambda g: g.label.lower())
