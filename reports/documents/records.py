"""The records a document needs, loaded in a fixed number of queries whatever their size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from actions.models import Action, ActionOwner
from meetings.models import AgendaItem, Attendance, Declaration, Dissent, Meeting, MinuteParagraph
from members.models import Body, Interest
from reports.models import Paper


def load_items(meeting: Meeting, *, minutes: bool = False, papers: bool = True) -> list[AgendaItem]:
    """The meeting's items in order, with their papers and (for minutes) paragraphs and actions."""
    lookups: list[Prefetch] = []
    if papers:
        lookups.append(Prefetch("papers", queryset=Paper.objects.order_by("position", "pk")))
    if minutes:
        owners = ActionOwner.objects.select_related("person").order_by("position", "pk")
        lookups += [
            Prefetch("paragraphs", queryset=MinuteParagraph.objects.order_by("position", "pk")),
            Prefetch(
                "actions",
                queryset=Action.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("owners", queryset=owners)
                ),
            ),
            Prefetch("declarations", queryset=Declaration.objects.select_related("person")),
            Prefetch("dissents", queryset=Dissent.objects.select_related("person")),
        ]
    items = list(meeting.items.order_by("position", "pk").prefetch_related(*lookups))
    for item in items:
        item.meeting = meeting  # the parent is already loaded: no query per item
    return items


def load_attendance(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendance.select_related(
            "person", "on_behalf_of", "from_item", "to_item"
        ).order_by("position", "pk")
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The body's next meeting after this one that is not cancelled."""
    found = (
        Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )
    if found is not None:
        found.body = meeting.body
    return found


def contact_officer(meeting: Meeting) -> str:
    """'Name, Role' of the clerk on the day (the meeting's contact officer), as the minutes and
    reports name them; a meeting with none names the body's first secretary."""
    if meeting.contact_officer_id:
        person = meeting.contact_officer
        held = (
            meeting.body.appointments.active_on(meeting.date)
            .filter(person=person)
            .select_related("person")
            .first()
        )
        return held.described() if held is not None else person.described()
    return secretary_described(meeting.body)


def secretary_described(body: Body) -> str:
    """'Name, Role' of the body's first secretary."""
    secretary = body.secretaries.select_related("person").order_by("pk").first()
    if secretary is None:
        return ""
    person = getattr(secretary, "person", None)
    if person is not None:
        return person.described()
    name = secretary.get_full_name() or secretary.get_username()
    return f"{name}, Board Secretary"


# How the seed prints the chair and deputy chair after their role.
SEAT_SUFFIX = {"chair": "(as Chair)", "deputy_chair": "(Deputy Chair)"}


def sectors_on_date(meeting: Meeting, appointments: list | None = None) -> dict[int, str]:
    """Person id → the sector of the seat they hold on the meeting date."""
    terms = meeting.terms()
    if terms is None:
        return {}
    seats = terms.seat_by_key()
    if appointments is None:
        appointments = list(meeting.body.appointments.active_on(meeting.date))
    return {a.person_id: seats[a.seat_key].sector for a in appointments if a.seat_key in seats}


@dataclass
class RegisterLine:
    """A register entry in force on the meeting date of someone expected at the meeting."""

    name: str
    category: str
    description: str


def expected_people(meeting: Meeting) -> dict[int, str]:
    """Person id to name of everyone with an appointment active on the meeting date."""
    appointments = meeting.body.appointments.active_on(meeting.date).select_related("person")
    return {a.person_id: a.person.name for a in appointments}


def register_on(meeting: Meeting, people: dict[int, str]) -> list[RegisterLine]:
    """The register entries in force on the meeting date of the people expected, by name."""
    entries = Interest.objects.filter(
        person_id__in=people, registered_on__lte=meeting.date
    ).exclude(ended_on__lt=meeting.date)
    lines = [
        RegisterLine(people[e.person_id], e.get_category_display(), e.description) for e in entries
    ]
    return sorted(lines, key=lambda line: (line.name, line.category, line.description))
