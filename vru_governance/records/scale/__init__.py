"""Generated records for load tests: a decade of five bodies, deterministic and valid.

`generate(scale=1.0)` builds a `vru-governance-records/1` document of about 600 meetings,
8,000 agenda items, 30,000 minute paragraphs, 12,000 actions, 400 people and 2,000 papers
that passes the schema and every rule of the importer (seat plans, one appointment per
person, the community minimum, quorum for agreed items, equality comments on final papers).
The same seed, scale and number of bodies always give the same document.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from vru_governance.records import FORMAT
from vru_governance.records.scale.meetings import MeetingWriter
from vru_governance.records.scale.plan import (
    BODIES,
    COMMUNITY_SEATS,
    DEFAULT_SEED,
    END,
    QUORUM_GROUPS,
    SEATS,
    BodyPlan,
    Link,
    meetings_per_body,
)
from vru_governance.records.scale.words import BOROUGHS, OFFICERS, ROLES

__all__ = ["BODIES", "DEFAULT_SEED", "Generator", "counts", "generate", "iter_meetings"]


class Generator(MeetingWriter):
    """Builds the document body by body; `progress(n)` is told of each meeting written."""

    def __init__(self, scale: float, bodies: int, seed: int) -> None:
        if scale <= 0:
            raise ValueError(f"The scale must be above 0, not {scale}.")
        if bodies < 1:
            raise ValueError(f"At least one body, not {bodies}.")
        self.scale = scale
        self.bodies = bodies
        self.seed = seed
        self.meetings = meetings_per_body(scale)

    @property
    def total_meetings(self) -> int:
        return self.bodies * self.meetings

    def document(self, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "bodies": [self.body(b, progress) for b in range(self.bodies)],
        }

    # a body ------------------------------------------------------------------------------

    def body(self, index: int, progress: Callable[[int], None] | None) -> dict[str, Any]:
        slug, name = BODIES[index % len(BODIES)]
        if index >= len(BODIES):
            slug, name = f"{slug}-{index // len(BODIES) + 1}", f"{name} {index // len(BODIES) + 1}"
        plan = BodyPlan(slug, name.split(" Violence")[0], random.Random(f"{self.seed}/{slug}"))
        dates = self.meeting_dates(plan.rng)
        tor_start = dates[0] - dt.timedelta(days=56)
        terms = [self.terms(plan, "v1", "Terms of Reference", tor_start, "endorsed")]
        if len(dates) >= 24:
            terms[0]["status"] = "superseded"
            revised = dates[len(dates) // 2] - dt.timedelta(days=14)
            terms.append(self.terms(plan, "v2", "Revised Terms of Reference", revised, "endorsed"))
        memberships = self.appointments(plan, tor_start)
        for role, organisation in OFFICERS:
            plan.officers.append(plan.person(role, organisation))
        meetings = []
        for i, day in enumerate(dates):
            meetings.append(self.meeting(plan, i, dates, day))
            if progress is not None:
                progress(1)
        return {
            "slug": slug,
            "name": name,
            "description": f"The partnership board for violence reduction in {plan.region}.",
            "terms_of_reference": terms,
            "people": plan.people,
            "memberships": memberships,
            "meetings": meetings,
        }

    def meeting_dates(self, rng: random.Random) -> list[dt.date]:
        """Meetings 28 to 35 days apart, always on a weekday, the last one on END."""
        dates = [END]
        while len(dates) < self.meetings:
            day = dates[-1] - dt.timedelta(days=rng.randint(28, 35))
            while day.weekday() > 3:  # Monday to Thursday
                day -= dt.timedelta(days=1)
            dates.append(day)
        return dates[::-1]

    def terms(
        self, plan: BodyPlan, version: str, title: str, start: dt.date, status: str
    ) -> dict[str, Any]:
        text = "\n\n".join(
            f"## {n}. {heading}\n\n{n}.1 {self.sentence(plan.rng)} {self.sentence(plan.rng)}"
            for n, heading in enumerate(
                ["Introduction", "Purpose", "Membership", "Quorum", "Meetings"], start=1
            )
        )
        return {
            "version": f"{start.year}-{version}",
            "title": f"{title} ({start:%B %Y})",
            "status": status,
            "effective_from": start.isoformat(),
            "text": text,
            "community_min_share": "0.30",
            "quorum": {
                "fraction": "1/2",
                "substitutes_count": True,
                "remote_counts": True,
                "required": QUORUM_GROUPS,
            },
            "meeting_interval_days": [28, 42],
            "agenda_notice_days": 5,
            "seats": [
                {"key": k, "label": label, "sector": sector, "count": count}
                for k, label, sector, count in SEATS
            ],
        }

    def appointments(self, plan: BodyPlan, start: dt.date) -> list[dict[str, Any]]:
        """Each seat place held by a chain of people, each successor like-for-like."""
        places = [
            (key, sector)
            for key, _, sector, count in SEATS
            for _ in range(COMMUNITY_SEATS if count == "share" else count)
        ]
        rows = []
        for key, sector in places:
            chain: list[Link] = []
            begin = start
            while True:
                role, organisation = ROLES[sector]
                borough = plan.rng.choice(BOROUGHS)
                person = plan.person(role, organisation.format(region=plan.region, borough=borough))
                end: dt.date | None = begin + dt.timedelta(days=plan.rng.randint(750, 1700))
                if end >= END:
                    end = None
                chain.append(Link(person, key, sector, begin, end))
                rows.append(
                    {
                        "person": person,
                        "seat": key,
                        "start": begin.isoformat(),
                        "end": end.isoformat() if end else None,
                    }
                )
                if end is None:
                    break
                begin = end + dt.timedelta(days=1)
            plan.chains.append(chain)
        return rows


def generate(
    scale: float = 1.0,
    bodies: int = len(BODIES),
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """The records document (see the module docstring)."""
    return Generator(scale, bodies, seed).document(progress)


def counts(document: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind a document holds."""
    out = dict.fromkeys(
        [
            "bodies",
            "people",
            "appointments",
            "meetings",
            "agenda items",
            "attendance",
            "minute paragraphs",
            "papers",
            "actions",
        ],
        0,
    )
    for body in document["bodies"]:
        out["bodies"] += 1
        out["people"] += len(body["people"])
        out["appointments"] += len(body["memberships"])
        for meeting in body["meetings"]:
            out["meetings"] += 1
            out["attendance"] += len(meeting["attendance"])
            for item in meeting["items"]:
                out["agenda items"] += 1
                out["minute paragraphs"] += len(item.get("minutes", []))
                out["papers"] += len(item.get("papers", []))
                out["actions"] += len(item.get("actions", []))
    return out


def iter_meetings(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for body in document["bodies"]:
        for meeting in body["meetings"]:
            yield body["slug"], meeting
