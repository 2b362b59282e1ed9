"""Workflows on a meeting itself: creating one with the standard agenda, and its details.

Each workflow is one transaction, runs the models' full_clean() and raises ValidationError
(EditConflict for a stale form).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import AgendaItem, ForwardPlanItem, Meeting
from meetings.services.agenda import standard_agenda
from meetings.services.plan import place_planned_item
from members.models import Body, Person
from vru_governance.rules.formats import clock
from vru_governance.rules.versions import check_version

# The standard items that follow on from an earlier meeting of the body: its minutes and the
# actions it raised. A body's first meeting has neither, so it starts without them (the
# secretary may still add one by hand).
FOLLOWS_ON = (AgendaItem.Kind.MINUTES_OF_LAST_MEETING, AgendaItem.Kind.ACTIONS_ARISING)


def unique_meeting_key(body: Body, date: dt.date) -> str:
    key, n = date.isoformat(), 1
    while body.meetings.filter(key=key).exists():
        n += 1
        key = f"{date.isoformat()}-{n}"
    return key


@transaction.atomic
def create_meeting_with_standard_agenda(
    body: Body,
    *,
    date: dt.date,
    start_time: dt.time,
    place: str = "",
    end_time: dt.time | None = None,
    planned: Iterable[ForwardPlanItem] = (),
    contact_officer: Person | None = None,
) -> Meeting:
    """Create a draft meeting that starts with the body's standard agenda (and planned items);
    the contact officer is the clerk on the day (the secretary creating it, as a rule). A
    meeting with no earlier meeting of its body leaves out the standard items that follow on
    from one ("Minutes of last meeting", "Actions Arising")."""
    Body.objects.select_for_update().get(pk=body.pk)  # one new meeting of a body at a time
    twin = body.meetings.exclude(status=Meeting.Status.CANCELLED).filter(
        date=date, start_time=start_time
    )
    if twin.exists():
        # Most often the same form sent twice (a double click, or Back and send again).
        raise ValidationError(
            {
                "date": f"The body already has a meeting on {date:%-d %B %Y} at "
                f"{clock(start_time)}; open it from the list of meetings, or choose another "
                "date or time."
            }
        )
    meeting = Meeting(
        body=body,
        key=unique_meeting_key(body, date),
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        contact_officer=contact_officer,
    )
    meeting.full_clean()
    meeting.save()
    rows = standard_agenda(body)
    if meeting.previous() is None:
        rows = [row for row in rows if row.kind not in FOLLOWS_ON]
    for position, row in enumerate(rows, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            number=str(position),
            position=position,
            title=row.title,
            kind=row.kind,
            presenter=row.presenter,
            presenter_lead=row.presenter_lead,
        )
    for plan in planned:
        place_planned_item(plan, meeting)
    return meeting


@transaction.atomic
def update_meeting_details(
    meeting: Meeting,
    *,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None,
    place: str,
    version: int | None,
) -> Meeting:
    """Change the date, times and place of a meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the meeting's details")
    meeting.date, meeting.start_time, meeting.end_time, meeting.place = (
        date,
        start_time,
        end_time,
        place,
    )
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def set_contact_officer(meeting: Meeting, *, person: Person | None, version: int | None) -> Meeting:
    """Name the clerk on the day, whom the minutes and the actions-arising report give as the
    contact officer (None: the body's first secretary). Locked with the minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the meeting's details")
    if meeting.contact_officer_id == (person.pk if person else None):
        return meeting
    meeting.contact_officer = person
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting
