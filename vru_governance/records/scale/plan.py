"""What a generated body is made of: the fixed shape (bodies, seats, quorum groups) and the
plan that one body's generation fills in (people, chains of holders, officers)."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any

from vru_governance.records.scale.words import FIRST, LAST

# The decade ends here (a fixed date keeps the document the same whenever it is generated);
# its last two meetings are still to come in late 2026.
END = dt.date(2027, 1, 20)
MEETINGS_PER_BODY = 120  # about monthly for ten years
TAIL = ["draft", "agenda_published", "minutes_draft", "minutes_circulated", "minutes_approved"]
MIN_MEETINGS = len(TAIL) + 1  # at least one meeting with published minutes
DEFAULT_SEED = 2019

BODIES = [
    ("north", "North London Violence Reduction Partnership"),
    ("south", "South London Violence Reduction Partnership"),
    ("east", "East London Violence Reduction Partnership"),
    ("west", "West London Violence Reduction Partnership"),
    ("central", "Central London Violence Reduction Partnership"),
]

# (key, label, sector, count): 14 fixed seats, so the community line computes to 6 of 20.
SEATS = [
    ("chair", "Chair of the Partnership", "chair", 1),
    ("deputy_chair", "Deputy Chair", "deputy_chair", 1),
    ("police", "Borough Commander, Metropolitan Police Service", "police", 1),
    ("health", "Three senior representatives from the health sector", "health", 3),
    ("education", "One senior representative from the education sector", "education", 1),
    ("probation", "One senior representative from the probation service", "probation", 1),
    ("london_councils", "Two representatives of the boroughs", "london_councils", 2),
    ("funders", "One representative of London Funders", "funders", 1),
    ("other", "Other members appointed by the Chair", "other", 3),
    ("community", "[30%] representatives from the community", "community", "share"),
]
COMMUNITY_SEATS = 6
# One holder of each is always present, so these groups are always satisfied.
CORE_SEATS = ["chair", "police", "london_councils", "health", "community"]
QUORUM_GROUPS = [
    {"label": "Chair or Deputy Chair", "any_of": ["chair", "deputy_chair"]},
    {"label": "Police representative", "any_of": ["police"], "representative_allowed": True},
    {"label": "Borough representative", "any_of": ["london_councils"]},
    {"label": "Health representative", "any_of": ["health"]},
    {"label": "Community representative", "any_of": ["community"]},
]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def meetings_per_body(scale: float) -> int:
    return max(MIN_MEETINGS, round(MEETINGS_PER_BODY * scale))


@dataclass
class Link:
    """One appointment in the chain of holders of one seat place."""

    person: str
    seat: str
    sector: str
    start: dt.date
    end: dt.date | None

    def active(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


@dataclass
class Presence:
    """A held meeting's attendance: the rows, who counts for every item, the quorum needed."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    counting: list[str] = field(default_factory=list)  # non-core first
    core: set[str] = field(default_factory=set)  # they satisfy the required groups
    needed: int = 0


@dataclass
class BodyPlan:
    """What one body's generation has decided so far: people, chains of holders, officers."""

    slug: str
    region: str
    rng: random.Random
    people: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    chains: list[list[Link]] = field(default_factory=list)  # one chain per seat place
    officers: list[str] = field(default_factory=list)

    def person(self, role: str, organisation: str) -> str:
        rng = self.rng
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        key = base = f"{self.slug}-{slugify(name)}"
        n = 2
        while key in self.names:
            key, n = f"{base}-{n}", n + 1
        self.names[key] = name
        self.people.append({"key": key, "name": name, "role": role, "organisation": organisation})
        return key

    def holders_on(self, on: dt.date) -> list[Link]:
        return [link for chain in self.chains for link in chain if link.active(on)]
