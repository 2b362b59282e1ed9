"""The public registers of a body, as queries: the register of interests (ToR 4.4) and the
forward plan. Each reads a fixed number of queries, whatever the records hold.

Who may see what is decided by meetings/access.py; these functions only narrow the lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from meetings import access
from meetings.access import AnyUser
from meetings.models import AgendaItem, Declaration, ForwardPlanItem, Meeting
from members.models import Appointment, Body, Interest, Person


@dataclass
class DeclaredAt:
    """An interest declared at a meeting whose minutes the reader may see."""

    meeting: Meeting
    item_number: str
    item_title: str
    interest: str
    withdrew: bool


@dataclass
class MemberInterests:
    """A serving member's entry in the register: registered interests and declarations."""

    person: Person
    interests: list[Interest] = field(default_factory=list)
    declared: list[DeclaredAt] = field(default_factory=list)


def register_of_interests(user: AnyUser, body: Body, today: dt.date) -> list[MemberInterests]:
    """Each member serving today, by name, with the interests they have registered that are
    current today (an interest that has ended leaves the register) and the interests they
    declared at meetings of the body whose minutes the reader may see (three queries)."""
    serving = Appointment.objects.filter(body=body).active_on(today).select_related("person")
    people = {a.person_id: a.person for a in serving}
    entries = {pk: MemberInterests(person) for pk, person in people.items()}
    current = Interest.objects.filter(person_id__in=list(people), registered_on__lte=today)
    for interest in current.exclude(ended_on__lt=today).order_by("-registered_on", "pk"):
        entries[interest.person_id].interests.append(interest)
    declarations = (
        Declaration.objects.filter(
            person_id__in=list(people),
            item__meeting__body=body,
            item__meeting__status__in=Meeting.MINUTES_CIRCULATED_STATUSES,
        )
        .select_related("item__meeting__body")
        .order_by("-item__meeting__date", "item__position", "pk")
    )
    for d in declarations:
        meeting = d.item.meeting
        if access.can_see_minutes(user, meeting):
            entries[d.person_id].declared.append(
                DeclaredAt(meeting, d.item.number, d.item.title, d.interest, d.withdrew)
            )
    return sorted(entries.values(), key=lambda e: e.person.name.lower())


@dataclass
class PlannedMeeting:
    """A future meeting with what is planned for it: its published agenda's items, or the
    forward plan's items aimed at it."""

    meeting: Meeting
    agenda_public: bool
    items: list[str] = field(default_factory=list)


@dataclass
class ForwardPlan:
    meetings: list[PlannedMeeting] = field(default_factory=list)
    # Planned items aimed at a month, not yet at a meeting: (first day of month, title).
    unscheduled: list[ForwardPlanItem] = field(default_factory=list)


def forward_plan(user: AnyUser, body: Body, today: dt.date) -> ForwardPlan:
    """The body's meetings from today on (not cancelled) and their planned business (three
    queries). A meeting whose agenda is not published shows the forward plan's items for it;
    one whose agenda is published shows the agenda's business items instead."""
    meetings = list(
        Meeting.objects.filter(body=body, date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("date", "start_time", "pk")
    )
    plan = ForwardPlan()
    planned = {m.pk: PlannedMeeting(m, access.can_see_agenda(user, m)) for m in meetings}
    business = AgendaItem.objects.filter(
        meeting__in=[m for m in meetings if planned[m.pk].agenda_public],
        kind=AgendaItem.Kind.BUSINESS,
    ).order_by("meeting", "position", "pk")
    for item in business:
        planned[item.meeting_id].items.append(item.title)
    pending = (
        ForwardPlanItem.objects.filter(body=body, placed_item__isnull=True)
        .exclude(target_meeting__status=Meeting.Status.CANCELLED)
        .exclude(target_meeting__date__lt=today)
        .order_by("target_month", "created_at", "pk")
    )
    for entry in pending:
        if entry.target_meeting_id is None:
            if entry.target_month is None or entry.target_month >= today.replace(day=1):
                plan.unscheduled.append(entry)
        elif not planned[entry.target_meeting_id].agenda_public:
            planned[entry.target_meeting_id].items.append(entry.title)
    plan.meetings = list(planned.values())
    return plan
