"""One generated meeting: its agenda and papers, and once held its attendance, minutes and
actions. A mixin of the Generator (vru_governance.records.scale), so the random draws stay in the
order that makes the same seed give the same document."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from vru_governance.records.scale.plan import CORE_SEATS, TAIL, BodyPlan, Link, Presence, slugify
from vru_governance.records.scale.words import BOROUGHS, FINDINGS, NEEDS, PLACES, TOPICS, VERBS


class MeetingWriter:
    """The meeting-level half of the Generator: everything below a body."""

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
