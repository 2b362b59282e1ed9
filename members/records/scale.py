"""Generated records for load tests: a decade of five bodies, deterministic and valid.

`generate(scale=1.0)` builds a `vru-governance-records/1` document of about 600 meetings,
8,000 agenda items, 30,000 minute paragraphs, 12,000 actions, 400 people and 2,000 papers
that passes the schema and every rule of the importer (seat plans, one appointment per
person, the community minimum, quorum for agreed items, equality comments on final papers).
The same seed, scale and number of bodies always give the same document.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from members.records import FORMAT
from members.records.scale_words import (
    BOROUGHS,
    FINDINGS,
    FIRST,
    LAST,
    NEEDS,
    OFFICERS,
    PLACES,
    ROLES,
    TOPICS,
    VERBS,
)

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


class Generator:
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

    # a meeting ---------------------------------------------------------------------------

    def status(self, rng: random.Random, index: int, count: int) -> str:
        from_end = count - 1 - index
        if from_end < len(TAIL):
            return TAIL[from_end]
        if index > 0 and rng.random() < 0.02:
            return "cancelled"
        return "minutes_published"

    def meeting(
        self, plan: BodyPlan, index: int, dates: list[dt.date], day: dt.date
    ) -> dict[str, Any]:
        rng = plan.rng
        status = self.status(rng, index, len(dates))
        with_minutes = status.startswith("minutes_")
        recent = len(dates) - index <= 8
        start = rng.choice(["10:00", "14:00", "14:00", "16:00"])
        hour = int(start[:2]) + 2
        items = self.agenda(plan, status, index, dates, day)
        holders = plan.holders_on(day)
        presence = self.attendance(plan, holders, items) if with_minutes else Presence()
        for item in items:
            if with_minutes:
                self.minutes(plan, item, day, holders, presence, recent, dates, index)
            item.pop("_proposed_outcome", None)
            item.pop("_topic", None)
        return {
            "key": day.isoformat(),
            "date": day.isoformat(),
            "start": start,
            "end": f"{hour:02d}:{rng.choice(['00', '15', '30', '45'])}" if with_minutes else None,
            "place": rng.choice(PLACES).format(borough=rng.choice(BOROUGHS)),
            "status": status,
            "attendance": presence.rows,
            "items": items,
        }

    def agenda(
        self, plan: BodyPlan, status: str, index: int, dates: list[dt.date], day: dt.date
    ) -> list[dict[str, Any]]:
        rng = plan.rng
        items = [
            {
                "number": "1",
                "title": "Apologies for Absence and Chair's Announcements",
                "kind": "apologies",
            },
            {"number": "2", "title": "Declarations of Interest", "kind": "declarations"},
        ]
        if index > 0:
            previous = dates[index - 1]
            items.append(
                {
                    "number": "3",
                    "title": f"Minutes of the meeting held on {previous:%-d %B %Y}",
                    "kind": "minutes_of_last_meeting",
                    "_proposed_outcome": "agreed",
                }
            )
            items.append({"number": "4", "title": "Actions Arising", "kind": "actions_arising"})
        if status == "cancelled":
            return items
        number = len(items)
        for _ in range(rng.randint(5, 8)):
            number += 1
            topic = rng.choice(TOPICS)
            subs = ["a", "b"] if rng.random() < 0.15 else [""]
            for sub in subs:
                title = self.title(rng, topic) + (f" (part {sub})" if sub else "")
                item = {
                    "number": f"{number}{sub}",
                    "title": title,
                    "kind": "business",
                    "presenter": self.presenter(plan, day),
                    "_topic": topic,
                    "_proposed_outcome": rng.choices(
                        ["noted", "agreed", "endorsed", "deferred"], [55, 30, 10, 5]
                    )[0],
                }
                if rng.random() < 0.47:
                    item["papers"] = [self.paper(plan, item, day, status)]
                items.append(item)
        items.append({"number": str(number + 1), "title": "Any Other Business", "kind": "aob"})
        items.append(
            {
                "number": str(number + 2),
                "title": "Date of Next Meeting",
                "kind": "date_of_next_meeting",
            }
        )
        return items

    def title(self, rng: random.Random, topic: str) -> str:
        pattern = rng.choice(
            ["{T}: update", "{T}: proposals", "Evaluation of {t}", "{T} in {b}", "{T}"]
        )
        return pattern.format(T=topic[0].upper() + topic[1:], t=topic, b=rng.choice(BOROUGHS))

    def presenter(self, plan: BodyPlan, day: dt.date) -> str:
        rng = plan.rng
        if rng.random() < 0.5:
            key = rng.choice(plan.officers)
        else:
            key = rng.choice(plan.holders_on(day)).person
        person = next(p for p in plan.people if p["key"] == key)
        return f"{person['name']}, {person['role']}"

    def paper(
        self, plan: BodyPlan, item: dict[str, Any], day: dt.date, status: str
    ) -> dict[str, Any]:
        rng = plan.rng
        topic = item["_topic"]
        sections = {
            "executive_summary": "\n\n".join(
                " ".join(self.sentence(rng, topic) for _ in range(3)) for _ in range(2)
            ),
            "recommendations": "The Partnership is asked to:\n\n"
            + "\n".join(
                f"- {rng.choice(['note', 'agree', 'endorse', 'comment on'])} {rng.choice(NEEDS)};"
                for _ in range(rng.randint(2, 4))
            ),
            "equality_comments": "The proposals were assessed for their effect on groups with "
            f"protected characteristics; {rng.choice(FINDINGS)} was considered.",
            "financial_comments": f"The costs of {topic} are met from the existing budget of "
            f"£{rng.randint(50, 900)},000 for {day.year}.",
        }
        if rng.random() < 0.3:
            sections["introduction"] = " ".join(self.sentence(rng, topic) for _ in range(4))
        paper: dict[str, Any] = {
            "key": f"{slugify(topic)[:60]}-{item['number']}",
            "title": item["title"],
            "author": self.presenter(plan, day).split(",")[0],
            "classification": "public",
            "final": status != "draft" or rng.random() < 0.5,
            "sections": sections,
        }
        if rng.random() < 0.06:
            paper["classification"] = "exempt"
            paper["exemption"] = {
                "section": rng.choice(["s.31", "s.40", "s.43"]),
                "reason": "Publication would prejudice ongoing operational work.",
                "review_on": (day + dt.timedelta(days=365)).isoformat(),
            }
        return paper

    # attendance, minutes and actions -----------------------------------------------------

    def attendance(
        self, plan: BodyPlan, holders: list[Link], items: list[dict[str, Any]]
    ) -> Presence:
        rng = plan.rng
        core = set()
        for seat in CORE_SEATS:
            core.add(next(h.person for h in holders if h.seat == seat))
        substitutes = [k for k in plan.officers if rng.random() < 0.5]
        rows, apologies, counting = [], [], []
        numbers = [i["number"] for i in items]
        for holder in holders:
            r = rng.random()
            if holder.person in core or r < 0.7:
                row: dict[str, Any] = {"person": holder.person, "capacity": "member"}
                if rng.random() < 0.1:
                    row["remote"] = True
                if holder.person not in core and rng.random() < 0.08 and len(numbers) > 6:
                    row["from_item"] = numbers[rng.randint(2, 4)]
                else:
                    counting.append(holder.person)
                rows.append(row)
            elif r < 0.8 and substitutes:
                substitute = substitutes.pop()
                rows.append(
                    {"person": substitute, "capacity": "substitute", "on_behalf_of": holder.person}
                )
                counting.append(substitute)
                apologies.append(holder.person)
            else:
                apologies.append(holder.person)
        used = {row["person"] for row in rows}
        for officer in plan.officers:
            if officer not in used and rng.random() < 0.6:
                rows.append({"person": officer, "capacity": "in_attendance"})
        rows.extend({"person": p, "capacity": "apologies"} for p in apologies)
        needed = math.ceil(len(holders) / 2)
        # Whoever declares an interest is taken from the front: never a core member, whose
        # presence satisfies the required groups.
        rng.shuffle(counting)
        counting.sort(key=lambda p: p in core)
        return Presence(rows, counting, core, needed)

    def minutes(
        self,
        plan: BodyPlan,
        item: dict[str, Any],
        day: dt.date,
        holders: list[Link],
        presence: Presence,
        recent: bool,
        dates: list[dt.date],
        index: int,
    ) -> None:
        rng = plan.rng
        kind = item["kind"]
        topic = item.get("_topic", rng.choice(TOPICS))
        withdrawn = set()
        if kind == "business" and rng.random() < 0.05 and presence.counting[0] not in presence.core:
            person = presence.counting[0]
            withdrew = rng.random() < 0.5
            item["declarations"] = [
                {
                    "person": person,
                    "interest": f"Trustee of a charity named in the report on {topic}.",
                    "withdrew": withdrew,
                }
            ]
            if withdrew:
                withdrawn.add(person)
        if kind == "business" and rng.random() < 0.03:
            item["dissent"] = [
                {
                    "person": rng.choice(holders).person,
                    "text": f"Asked that her concern about {rng.choice(NEEDS)} be recorded.",
                }
            ]
        proposed = item.pop("_proposed_outcome", None)
        if proposed:
            present = [p for p in presence.counting if p not in withdrawn]
            quorate = len(present) >= presence.needed
            needs_quorum = proposed in ("agreed", "endorsed")
            item["outcome"] = "noted" if needs_quorum and not quorate else proposed
        count = {"business": rng.randint(4, 8), "apologies": rng.randint(1, 3)}.get(
            kind, rng.randint(1, 2)
        )
        if kind == "minutes_of_last_meeting":
            paragraphs = [
                f"The minutes of the meeting held on {dates[index - 1]:%-d %B %Y} were "
                "agreed as a correct record."
            ]
        elif kind == "declarations" and rng.random() < 0.8:
            paragraphs = ["There were no declarations of interest."]
        else:
            paragraphs = [
                " ".join(self.sentence(rng, topic) for _ in range(rng.randint(2, 4)))
                for _ in range(count)
            ]
        item["minutes"] = paragraphs
        actions = {
            "business": rng.choice([2, 2, 3, 4]),
            "apologies": rng.randint(0, 1),
            "aob": rng.randint(0, 1),
        }.get(kind, 0)
        if actions:
            item["actions"] = [
                self.action(plan, item, day, holders, recent, n) for n in range(1, actions + 1)
            ]

    def action(
        self,
        plan: BodyPlan,
        item: dict[str, Any],
        day: dt.date,
        holders: list[Link],
        recent: bool,
        n: int,
    ) -> dict[str, Any]:
        rng = plan.rng
        owners = []
        for _ in range(rng.choice([1, 1, 2])):
            r = rng.random()
            owner = (
                "Clerk"
                if r < 0.1
                else rng.choice(plan.officers)
                if r < 0.4
                else rng.choice(holders).person
            )
            if owner not in owners:
                owners.append(owner)
        ongoing = rng.random() < 0.15
        deadline = day + dt.timedelta(days=rng.randint(28, 90))
        if recent:
            status = "ongoing" if ongoing else rng.choices(["open", "complete"], [65, 35])[0]
        else:
            status = rng.choices(["complete", "superseded"], [85, 15])[0]
        action: dict[str, Any] = {
            "key": f"{day.isoformat()}-{item['number']}-{n}",
            "description": f"To {rng.choice(VERBS)} {rng.choice(TOPICS)}.",
            "owners": owners,
            "deadline": "ongoing" if ongoing else deadline.isoformat(),
            "status": status,
        }
        if status != "open" and rng.random() < 0.5:
            action["status_note"] = f"Update given: {rng.choice(FINDINGS)}."
        if status != "open" and rng.random() < 0.25:
            action["updates"] = [
                {
                    "date": (day + dt.timedelta(days=rng.randint(14, 40))).isoformat(),
                    "status": status,
                    "note": "Reported at the following meeting.",
                }
            ]
        return action

    def sentence(self, rng: random.Random, topic: str | None = None) -> str:
        topic = topic or rng.choice(TOPICS)
        borough = rng.choice(BOROUGHS)
        pattern = rng.choice(
            [
                "Partners discussed {topic} and the need for {need}.",
                "The report on {topic} showed {finding} in {borough}.",
                "It was noted that {finding} had been reported across {n} boroughs.",
                "Partners asked how work on {topic} would reach young people in {borough}.",
                "The Chair asked that {need} be brought back to a future meeting.",
                "Partners agreed that {topic} should remain a priority for the coming year.",
                "Officers explained that {need} was planned with partners in {borough}.",
            ]
        )
        return pattern.format(
            topic=topic,
            need=rng.choice(NEEDS),
            finding=rng.choice(FINDINGS),
            borough=borough,
            n=rng.randint(2, 12),
        )


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
