"""Corrections: the only change to what a meeting's published documents show.

A correction names what changed and why, records who made it and when (MinutesCorrection),
makes the change inside lock_scope.correcting() (the one way past the lock), and freezes a new
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

from meetings import lock_scope
from meetings.models import AgendaItem, Attendance, Meeting, MinutesCorrection, presenter_line
from meetings.services import publication
from meetings.services.attendance import VERSION as ATTENDANCE_VERSION
from meetings.services.attendance import AttendanceChange
from meetings.services.attendance import _validate_attendance as validate_attendance
from vru_governance.rules.formats import clock, short_date
from vru_governance.rules.versions import bump_version, check_version

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
    after: str | Callable[[], str] = "",
    paragraph: object = None,
) -> T:
    """Make `change` to a published meeting's locked records as a correction: recorded with
    its reason, then every frozen document of `stages` issued again as a new version.

    `after` may be a function, asked once the change is made (what the record now says)."""
    reason = _reason(reason)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if not meeting.agenda_is_public:
        raise ValidationError("Nothing of this meeting is published yet: change it directly.")
    with lock_scope.correcting(meeting):
        result = change(meeting)
    correction = MinutesCorrection(
        meeting=meeting,
        paragraph=paragraph,
        what=what[:200],
        before=before,
        after=after() if callable(after) else after,
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
        stages=[lock_scope.AGENDA, lock_scope.MINUTES],
        before=before,
        after=_details(date, start_time, end_time, place),
    )


def _item_text(item: AgendaItem) -> str:
    line = presenter_line(item.presenter_lead, item.presenter, has_report=False)
    presenter = f", “{line.rstrip('.')}”" if line else ", no presenter"
    return f"Item {item.number}: {item.title}{presenter} ({item.get_kind_display()})"


@transaction.atomic
def correct_item(
    item: AgendaItem,
    *,
    title: str,
    presenter: str,
    kind: str,
    reason: str,
    user: User | None,
    sub_item: bool | None = None,
    minutes_allowed: int | None = None,
    version: int | None = None,
    presenter_lead: str | None = None,
) -> AgendaItem:
    """Correct the title, presenter (or the wording before it; None keeps it) or kind of an
    item of a published agenda: the agenda,
    the packs (and the minutes, once published) are issued again. Its number and place are
    what partners and the public were sent, so they stay."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    locked = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    locked.meeting = meeting
    check_version(locked, version, f"item {locked.number}")
    if sub_item is not None and sub_item != locked.is_sub_item:
        raise ValidationError(
            {
                "sub_item": f"Item {locked.number} is numbered so on the published agenda; a "
                "correction keeps the numbering."
            }
        )
    lead = locked.presenter_lead if presenter_lead is None else presenter_lead.strip()
    wanted = (title.strip(), presenter.strip(), kind)
    if (locked.title, locked.presenter, locked.kind, locked.presenter_lead) == (*wanted, lead):
        raise ValidationError(
            "The corrected title, presenter and kind are the same as the published ones."
        )
    before = _item_text(locked)

    def change(m: Meeting) -> AgendaItem:
        locked.meeting = m
        locked.title, locked.presenter, locked.kind = wanted
        locked.presenter_lead = lead
        locked.minutes_allowed = minutes_allowed
        locked.version += 1
        locked.full_clean()
        locked.save()
        return locked

    return record_correction(
        meeting,
        what=f"item {locked.number}",
        reason=reason,
        user=user,
        change=change,
        stages=[lock_scope.AGENDA, lock_scope.MINUTES],
        before=before,
        after=lambda: _item_text(locked),
    )


def attendance_text(meeting: Meeting) -> str:
    """The attendance record as the correction keeps it, one person a line."""
    lines = []
    rows = meeting.attendance.select_related("person", "on_behalf_of", "from_item", "to_item")
    for row in rows.order_by("position", "pk"):
        line = f"{row.person}: {row.get_capacity_display()}"
        if row.on_behalf_of_id:
            line += f" on behalf of {row.on_behalf_of}"
        if row.remote:
            line += ", remote"
        if row.from_item_id or row.to_item_id:
            first = row.from_item.number if row.from_item_id else "start"
            last = row.to_item.number if row.to_item_id else "close"
            line += f", items {first} to {last}"
        lines.append(line)
    return "\n".join(lines) or "No one recorded."


@transaction.atomic
def correct_attendance(
    meeting: Meeting, *, reason: str, user: User | None, record: Callable[[Meeting], T]
) -> T:
    """Change the attendance of approved minutes as a correction: `record` makes the change
    through the attendance service (meetings/services/attendance.py), whose rules and edit
    check all apply; the minutes are then issued again with the reason."""
    if not meeting.minutes_locked:
        raise ValidationError("These minutes are not approved yet: edit the attendance directly.")
    _reason(reason)
    before = attendance_text(meeting)

    def after() -> str:
        now = attendance_text(meeting)
        if now == before:
            raise ValidationError("The corrected attendance is the same as the recorded one.")
        return now

    return record_correction(
        meeting,
        what="the attendance record",
        reason=reason,
        user=user,
        change=record,
        stages=[lock_scope.MINUTES],
        before=before,
        after=after,
    )


@transaction.atomic
def correct_attendance_rows(
    meeting: Meeting,
    rows: list[AttendanceChange],
    *,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> None:
    """Correct the attendance of approved minutes row by row (present, apologies, substitute
    on behalf of a member, in attendance, remote, arrival and departure), with the reason."""

    def change(m: Meeting) -> None:
        check_version(m, version, "the attendance", field=ATTENDANCE_VERSION)
        existing = {a.pk: a for a in m.attendance.select_related("person")}
        position = max((a.position for a in existing.values()), default=0) + 1
        for row in rows:
            if row.attendance_id is not None:
                record = existing.get(row.attendance_id)
                if record is None:
                    raise ValidationError(
                        "Someone else changed the attendance since you opened the page; "
                        "reload it to see the attendance as it is now."
                    )
                if row.remove:
                    record.delete()
                    continue
            else:
                record = Attendance(meeting=m, person=row.person, position=position)
                position += 1
            record.capacity = row.capacity
            substitute = row.capacity == Attendance.Capacity.SUBSTITUTE
            record.on_behalf_of = row.on_behalf_of if substitute else None
            apologies = row.capacity == Attendance.Capacity.APOLOGIES
            record.remote = row.remote and not apologies
            record.from_item = None if apologies else row.from_item
            record.to_item = None if apologies else row.to_item
            try:
                record.full_clean()
            except ValidationError as exc:
                raise ValidationError([f"{record.person}: {m}" for m in exc.messages]) from None
            record.save()
        # Every rule of the whole record: each row, quorum for outcomes recorded, the order.
        validate_attendance(m)
        bump_version(m, ATTENDANCE_VERSION)

    correct_attendance(meeting, reason=reason, user=user, record=change)
