"""A member's attendance record, read from the minutes the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from meetings import access
from meetings.access import AnyUser
from meetings.models import Attendance, Meeting
from members.models import Appointment, Body, Person

PRESENT = "Present"
APOLOGIES = "Apologies"
SUBSTITUTE_SENT = "Substitute sent"
ABSENT = "Absent"
NOT_RECORDED = "No attendance recorded"


@dataclass
class RecordRow:
    """One meeting held during the member's appointment and how they took part."""

    meeting: Meeting
    outcome: str
    detail: str = ""
    substitutes: list[Person] = field(default_factory=list)


@dataclass
class AttendanceRecord:
    """Counts and rows as council sites show them: attended, apologies, substitutes sent."""

    rows: list[RecordRow]

    def _count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def expected(self) -> int:
        return sum(1 for r in self.rows if r.outcome != NOT_RECORDED)

    @property
    def attended(self) -> int:
        return self._count(PRESENT)

    @property
    def apologies(self) -> int:
        return self._count(APOLOGIES)

    @property
    def substitutes_sent(self) -> int:
        return sum(1 for r in self.rows if r.substitutes)

    @property
    def absent(self) -> int:
        return self._count(ABSENT)


def _describe(row: Attendance) -> str:
    parts = []
    if row.remote:
        parts.append("remotely")
    if row.from_item_id and row.to_item_id:
        parts.append(f"items {row.from_item.number} to {row.to_item.number}")
    elif row.from_item_id:
        parts.append(f"from item {row.from_item.number}")
    elif row.to_item_id:
        parts.append(f"until item {row.to_item.number}")
    return ", ".join(parts)


def attendance_record(
    user: AnyUser, body: Body, person: Person, appointments: list[Appointment]
) -> AttendanceRecord:
    """The member's record at meetings during their appointments (three queries)."""
    candidates = (
        Meeting.objects.filter(body=body, status__in=Meeting.MINUTES_CIRCULATED_STATUSES)
        .select_related("body")
        .annotate(recorded=Count("attendance"))
        .order_by("-date", "-start_time")
    )
    meetings = [
        m
        for m in candidates
        if access.can_see_minutes(user, m) and any(a.is_active_on(m.date) for a in appointments)
    ]
    own = {
        a.meeting_id: a
        for a in Attendance.objects.filter(meeting__in=meetings, person=person).select_related(
            "from_item", "to_item", "on_behalf_of"
        )
    }
    substitutes: dict[int, list[Person]] = {}
    for sub in Attendance.objects.filter(meeting__in=meetings, on_behalf_of=person).select_related(
        "person"
    ):
        substitutes.setdefault(sub.meeting_id, []).append(sub.person)
    rows = []
    for meeting in meetings:
        mine, subs = own.get(meeting.pk), substitutes.get(meeting.pk, [])
        if mine is not None and mine.capacity == Attendance.Capacity.MEMBER:
            rows.append(RecordRow(meeting, PRESENT, _describe(mine), subs))
        elif mine is not None and mine.capacity == Attendance.Capacity.APOLOGIES:
            rows.append(RecordRow(meeting, APOLOGIES, "", subs))
        elif mine is not None and mine.capacity == Attendance.Capacity.SUBSTITUTE:
            detail = f"as substitute for {mine.on_behalf_of.name}"
            rows.append(RecordRow(meeting, PRESENT, detail, subs))
        elif mine is not None:
            rows.append(RecordRow(meeting, PRESENT, "in attendance", subs))
        elif subs:
            rows.append(RecordRow(meeting, SUBSTITUTE_SENT, "", subs))
        elif meeting.recorded:
            rows.append(RecordRow(meeting, ABSENT))
        else:
            rows.append(RecordRow(meeting, NOT_RECORDED))
    return AttendanceRecord(rows)
