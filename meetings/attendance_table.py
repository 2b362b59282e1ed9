"""Board-wide attendance for a year: per meeting, per seat, per organisation and per member,
read from the minutes the reader may see (a fixed number of queries, whatever the year holds).

The counting itself is pure (vru_governance/rules/attendance.py); this module loads the
records and says who was expected at each meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from meetings import access
from meetings.access import AnyUser
from meetings.models import Attendance, Meeting
from members.models import Appointment, Body, TermsOfReference
from vru_governance.rules.attendance import (
    Expected,
    Group,
    MeetingRecord,
    Tally,
    grouped,
    meeting_tally,
    year_tally,
)

NO_ORGANISATION = "Organisation not recorded"


@dataclass
class MeetingRow:
    """One meeting of the year: its tally, or None when its minutes record no attendance."""

    meeting: Meeting
    tally: Tally | None


@dataclass
class AttendanceYear:
    body: Body
    year: int
    years: list[int]
    meetings: list[MeetingRow] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    by_seat: list[Group] = field(default_factory=list)
    by_organisation: list[Group] = field(default_factory=list)
    by_member: list[Group] = field(default_factory=list)


def _visible(user: AnyUser, body: Body) -> list[Meeting]:
    candidates = (
        Meeting.objects.filter(body=body, status__in=Meeting.MINUTES_CIRCULATED_STATUSES)
        .select_related("body")
        .order_by("date", "start_time", "pk")
    )
    return [m for m in candidates if access.can_see_minutes(user, m)]


def attendance_years(user: AnyUser, body: Body) -> list[int]:
    """The years with minutes the reader may see, latest first (one query)."""
    return sorted({m.date.year for m in _visible(user, body)}, reverse=True)


def attendance_year(user: AnyUser, body: Body, year: int, years: list[int]) -> AttendanceYear:
    """The year's attendance (four queries: meetings with their attendance, appointments,
    terms of reference with their seats)."""
    candidates = (
        Meeting.objects.filter(
            body=body, date__year=year, status__in=Meeting.MINUTES_CIRCULATED_STATUSES
        )
        .select_related("body")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.order_by("pk"), to_attr="rows")
        )
        .order_by("date", "start_time", "pk")
    )
    meetings = [m for m in candidates if access.can_see_minutes(user, m)]
    appointments = list(
        Appointment.objects.filter(body=body).select_related("person").order_by("start", "pk")
    )
    versions = list(
        TermsOfReference.objects.filter(body=body).prefetch_related("seats").order_by("pk")
    )
    seats = {t.pk: t.seat_by_key() for t in versions}
    out = AttendanceYear(body=body, year=year, years=years)
    records: list[MeetingRecord] = []
    for meeting in meetings:
        if not meeting.rows:
            out.meetings.append(MeetingRow(meeting, None))
            continue
        terms = TermsOfReference.in_force_among(versions, meeting.date)
        labels = seats.get(terms.pk, {}) if terms is not None else {}
        expected = tuple(
            Expected(
                a.person_id,
                a.person.name,
                labels[a.seat_key].label if a.seat_key in labels else a.seat_key,
                a.person.organisation or NO_ORGANISATION,
            )
            for a in appointments
            if a.is_active_on(meeting.date)
        )
        Capacity = Attendance.Capacity
        record = MeetingRecord(
            expected=expected,
            present=frozenset(r.person_id for r in meeting.rows if r.capacity == Capacity.MEMBER),
            substituted=frozenset(
                r.on_behalf_of_id
                for r in meeting.rows
                if r.capacity == Capacity.SUBSTITUTE and r.on_behalf_of_id
            ),
            apologies=frozenset(
                r.person_id for r in meeting.rows if r.capacity == Capacity.APOLOGIES
            ),
        )
        records.append(record)
        out.meetings.append(MeetingRow(meeting, meeting_tally(record)))
    out.total = year_tally(records)
    out.by_seat = grouped(records, lambda e: e.seat)
    out.by_organisation = grouped(records, lambda e: e.organisation)
    out.by_member = grouped(records, lambda e: e.name)
    return out
