"""Corrections: the only change to what a meeting's published documents show.

A correction names what changed and why, records who made it and when (MinutesCorrection),
makes the change inside lifecycle.correcting() (the one way past the lock), and freezes a new
version of every document of the meeting that showed the fact, each saying it is a correction
and why. Earlier versions stay downloadable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from meetings import lifecycle
from meetings.models import Meeting, MinutesCorrection
from meetings.services import publication
from vru_governance.rules.formats import clock, short_date
from vru_governance.rules.versions import check_version

T = TypeVar("T")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Give the reason for the correction: the new versions print it."}
        )
    return reason


def refreeze(meeting: Meeting, stages: Iterable[str], *, reason: str, user: User | None) -> None:
    """A new version of each document of these stages that is already frozen."""
    stored = set(meeting.stored_documents.values_list("kind", flat=True))
    for stage in stages:
        if stored & set(publication.stage_kinds(stage)):
            publication.freeze_published_documents(
                meeting, stage, correction_note=reason, user=user
            )


@transaction.atomic
def record_correction(
    meeting: Meeting,
    *,
    what: str,
    reason: str,
    user: User | None,
    change: Callable[[Meeting], T],
    stages: Iterable[str],
    before: str = "",
    after: str = "",
    paragraph: object = None,
) -> T:
    """Make `change` to a published meeting's locked records as a correction: recorded with
    its reason, then every frozen document of `stages` issued again as a new version."""
    reason = _reason(reason)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if not meeting.agenda_is_public:
        raise ValidationError("Nothing of this meeting is published yet: change it directly.")
    with lifecycle.correcting(meeting):
        result = change(meeting)
    correction = MinutesCorrection(
        meeting=meeting,
        paragraph=paragraph,
        what=what[:200],
        before=before,
        after=after,
        reason=reason,
        made_by=user,
    )
    correction.full_clean()
    correction.save()
    meeting.refresh_from_db()
    refreeze(meeting, stages, reason=f"{what[0].upper()}{what[1:]} corrected: {reason}", user=user)
    return result


def _details(date: dt.date, start: dt.time, end: dt.time | None, place: str) -> str:
    closes = f" to {clock(end)}" if end else ""
    return f"{short_date(date)}, {clock(start)}{closes}, {place or 'no place given'}"


@transaction.atomic
def correct_meeting_details(
    meeting: Meeting,
    *,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None,
    place: str,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> Meeting:
    """Correct the date, times or place of a meeting whose agenda is published."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(locked, version, "the meeting's details")
    before = _details(locked.date, locked.start_time, locked.end_time, locked.place)

    def change(m: Meeting) -> Meeting:
        m.date, m.start_time, m.end_time, m.place = date, start_time, end_time, place
        m.version += 1
        m.full_clean()
        m.save()
        return m

    if (locked.date, locked.start_time, locked.end_time, locked.place) == (
        date,
        start_time,
        end_time,
        place,
    ):
        raise ValidationError("The corrected details are the same as the published ones.")
    return record_correction(
        locked,
        what="the meeting's date, time and place",
        reason=reason,
        user=user,
        change=change,
        stages=[lifecycle.AGENDA, lifecycle.MINUTES],
        before=before,
        after=_details(date, start_time, end_time, place),
    )
