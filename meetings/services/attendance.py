"""Workflows on attendance: members present, remote, apologies or absent; substitutes and
people in attendance; arrivals and departures by item; the quorum panel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from meetings import lifecycle
from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Person
from members.services import save_person
from vru_governance.rules import quorum as q
from vru_governance.rules.formats import member_order
from vru_governance.rules.versions import bump_version, check_version

VERSION = "attendance_version"


def _lock(meeting: Meeting) -> Meeting:
    """The meeting's row, locked (every change to the attendance, the agenda and the minutes
    takes it first) and read again."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)


# Attendance ----------------------------------------------------------------------------

PRESENT, REMOTE, APOLOGIES, ABSENT = "present", "remote", "apologies", "absent"
MEMBER_STATES = [
    (PRESENT, "Present"),
    (REMOTE, "Remote"),
    (APOLOGIES, "Apologies"),
    (ABSENT, "Absent"),
]


@dataclass(frozen=True)
class MemberRow:
    """The secretary's record for one member: state and the items they arrived and left at."""

    person_id: int
    state: str
    from_item: AgendaItem | None = None
    to_item: AgendaItem | None = None


def member_state(attendance: Attendance | None) -> str:
    if attendance is None:
        return ABSENT
    if attendance.capacity == Attendance.Capacity.APOLOGIES:
        return APOLOGIES
    return REMOTE if attendance.remote else PRESENT


CAPACITY_ORDER = {"member": 0, "substitute": 0, "in_attendance": 1, "apologies": 2}


def _resequence(meeting: Meeting, rows: list[Attendance]) -> None:
    """Order the record as the seed minutes print it: Chair, Deputy Chair and Deputy Mayors
    first, then everyone by surname (member_order, as the agenda lists the partners); in
    attendance and apologies by surname."""
    terms = meeting.terms()
    seats = dict(meeting.body.appointments_on(meeting.date).values_list("person_id", "seat_key"))

    def key(a: Attendance) -> tuple[int, tuple[int, str, str]]:
        sector = terms.sector_of(seats.get(a.person_id, "")) if terms else None
        leading = sector if a.capacity == "member" else None
        return (CAPACITY_ORDER[a.capacity], member_order(a.person.name, leading))

    moved = []
    for position, row in enumerate(sorted(rows, key=key)):
        if row.position != position:
            row.position = position
            moved.append(row)
    if moved:
        # bulk_update sends no signal, so the policy is asked first: the attendance of
        # approved minutes is locked (meetings/lifecycle.py).
        lifecycle.check_bulk(Attendance, meeting, {"position"})
        Attendance.objects.bulk_update(moved, ["position"])


def refuse_outcomes_without_quorum(meeting: Meeting) -> None:
    """A change to who counted may not leave an item that records an outcome of agreed or
    endorsed without quorum (DESIGN rule 5): its outcome has to change first."""
    outcomes = dict(
        meeting.items.filter(outcome__in=AgendaItem.NEEDS_QUORUM).values_list("number", "outcome")
    )
    if not outcomes:
        return
    try:
        result = meeting.quorum()
    except q.QuorumError:
        return  # the record itself is refused with its own error
    labels = dict(AgendaItem.Outcome.choices)
    errors = []
    for item in result.items:
        if item.number in outcomes and not item.quorate:
            errors.append(
                f"Item {item.number} records the outcome '{labels[outcomes[item.number]]}', but "
                f"with this change the meeting would not be quorate for it ({item.headcount}). "
                "Change the item's outcome in the minutes first, or correct the attendance."
            )
    if errors:
        raise ValidationError(errors)


def _validate_attendance(meeting: Meeting) -> None:
    rows = list(meeting.attendance.select_related("person", "on_behalf_of", "from_item", "to_item"))
    _resequence(meeting, rows)
    errors = []
    for row in rows:
        try:
            row.full_clean()
        except ValidationError as exc:
            errors.extend(f"{row.person}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError(errors)
    refuse_outcomes_without_quorum(meeting)


@transaction.atomic
def record_attendance(
    meeting: Meeting, rows: list[MemberRow], *, version: int | None = None
) -> None:
    """Record each member as present, remote, apologies or absent (one transaction).

    `version` is the meeting's attendance_version the page was opened with: a page opened
    before someone else saved the attendance is refused (EditConflict) rather than putting
    back the rows it showed."""
    record_grid(meeting, members=rows, others=[], version=version)


@dataclass(frozen=True)
class AttendanceChange:
    """One attendance record as a page sends it: a record already made (by id), changed or
    removed, or a new one for a person, chosen (`person`) or found or created by name and
    role (the grid's `name`). The grid leaves `capacity` blank: a row on behalf of a member
    is a substitute, any other a person in attendance; a correction names the capacity."""

    attendance_id: int | None = None
    person: Person | None = None
    name: str = ""
    role: str = ""
    capacity: str = ""
    on_behalf_of: Person | None = None
    remote: bool = False
    from_item: AgendaItem | None = None
    to_item: AgendaItem | None = None
    remove: bool = False


@transaction.atomic
def record_grid(
    meeting: Meeting,
    *,
    members: list[MemberRow],
    others: list[AttendanceChange],
    version: int | None = None,
) -> None:
    """Record the whole attendance grid in one transaction: each member's row, then the
    substitutes and people in attendance (changed, removed, or added by name), then every
    rule of the record at once. A page opened before someone else saved the attendance is
    refused (EditConflict)."""
    meeting = _lock(meeting)
    check_version(meeting, version, "the attendance", field=VERSION)
    _record_members(meeting, members)
    _record_others(meeting, others)
    _validate_attendance(meeting)
    bump_version(meeting, VERSION)


def _record_members(meeting: Meeting, rows: list[MemberRow]) -> None:
    members = set(meeting.body.appointments_on(meeting.date).values_list("person_id", flat=True))
    existing = {a.person_id: a for a in meeting.attendance.all()}
    next_position = max((a.position for a in existing.values()), default=0) + 1
    for row in rows:
        if row.person_id not in members:
            name = Person.objects.filter(pk=row.person_id).values_list("name", flat=True).first()
            raise ValidationError(
                f"{name or 'That person'} has no active appointment on the meeting date "
                f"({meeting.date:%-d %B %Y}); reload the page to see the members on that day."
            )
        current = existing.get(row.person_id)
        if current is not None and current.capacity not in (
            Attendance.Capacity.MEMBER,
            Attendance.Capacity.APOLOGIES,
        ):
            continue  # recorded as a substitute or in attendance: edited on its own row
        if row.state == ABSENT:
            if current is not None:
                current.delete()
            continue
        values = {
            "capacity": Attendance.Capacity.APOLOGIES
            if row.state == APOLOGIES
            else Attendance.Capacity.MEMBER,
            "remote": row.state == REMOTE,
            "from_item": None if row.state == APOLOGIES else row.from_item,
            "to_item": None if row.state == APOLOGIES else row.to_item,
        }
        if current is None:
            current = Attendance(meeting=meeting, person_id=row.person_id, position=next_position)
            next_position += 1
        elif all(getattr(current, k) == v for k, v in values.items()):
            continue
        for k, v in values.items():
            setattr(current, k, v)
        current.save()


def person_named(name: str, role: str = "") -> Person:
    """The person of this name (case and spacing aside), or a new one with the role given.
    Where several people share the name, the role tells them apart."""
    name = " ".join(name.split())
    found = list(Person.objects.filter(name__iexact=name).order_by("pk")[:10])
    if len(found) > 1 and role.strip():
        found = [p for p in found if p.role.strip().lower() == role.strip().lower()] or found
    if len(found) == 1:
        return found[0]
    if found:
        roles = "; ".join(p.role or "no role" for p in found)
        raise ValidationError(
            f"{len(found)} people are named {name} ({roles}): give the role of the one who "
            "attended, as it is recorded, to say which."
        )
    return save_person(Person(name=name, role=role.strip()), by=None)


def _record_others(meeting: Meeting, rows: list[AttendanceChange]) -> None:
    existing = {
        a.pk: a
        for a in meeting.attendance.exclude(
            capacity__in=[Attendance.Capacity.MEMBER, Attendance.Capacity.APOLOGIES]
        ).select_related("person")
    }
    recorded = set(meeting.attendance.values_list("person_id", flat=True))
    next_position = (meeting.attendance.aggregate(m=models.Max("position"))["m"] or 0) + 1
    errors: list[str] = []
    for row in rows:
        if row.attendance_id is None:
            person = row.person or person_named(row.name, row.role)
            if person.pk in recorded:
                errors.append(f"{person} is recorded twice: keep one row for them.")
                continue
            recorded.add(person.pk)
            current = Attendance(meeting=meeting, person=person, position=next_position)
            next_position += 1
        else:
            current = existing.get(row.attendance_id)
            if current is None:
                raise ValidationError(
                    "Someone else removed a person from the attendance since you opened the "
                    "page; reload it to see the attendance as it is now."
                )
            if row.remove:
                current.delete()
                continue
        values = {
            "capacity": Attendance.Capacity.SUBSTITUTE
            if row.on_behalf_of is not None
            else Attendance.Capacity.IN_ATTENDANCE,
            "on_behalf_of": row.on_behalf_of,
            "remote": row.remote,
            "from_item": row.from_item,
            "to_item": row.to_item,
        }
        if current.pk is not None and all(getattr(current, k) == v for k, v in values.items()):
            continue
        for k, v in values.items():
            setattr(current, k, v)
        current.save()
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_attendee(
    attendance: Attendance,
    *,
    new_person_name: str = "",
    new_person_role: str = "",
    version: int | None = None,
) -> Attendance:
    """Add or change a substitute or a person in attendance (a new person is created too).

    A change to an existing record made from a page opened before someone else saved the
    attendance is refused (EditConflict); adding one is not, as it overwrites nothing."""
    meeting = _lock(attendance.meeting)
    attendance.meeting = meeting
    if attendance.pk is not None:
        check_version(meeting, version, "the attendance", field=VERSION)
        if not meeting.attendance.filter(pk=attendance.pk).exists():
            raise ValidationError(
                f"{attendance.person} was removed from the attendance by someone else, so "
                "the change was not saved."
            )
    if attendance.person_id is None and new_person_name.strip():
        # A new person: no one's record yet, so no one's to protect.
        attendance.person = save_person(
            Person(name=new_person_name.strip(), role=new_person_role.strip()), by=None
        )
    if attendance.capacity not in (
        Attendance.Capacity.SUBSTITUTE,
        Attendance.Capacity.IN_ATTENDANCE,
    ):
        raise ValidationError("Record members on the member rows of the attendance page.")
    if attendance.pk is None:
        clash = meeting.attendance.filter(person=attendance.person).first()
        if clash is not None:
            raise ValidationError(
                {
                    "person": f"{attendance.person} is already recorded "
                    f"({clash.get_capacity_display().lower()})."
                }
            )
        attendance.position = (meeting.attendance.aggregate(m=models.Max("position"))["m"] or 0) + 1
    if attendance.capacity == Attendance.Capacity.IN_ATTENDANCE:
        attendance.on_behalf_of = None
    attendance.full_clean()
    attendance.save()
    _validate_attendance(meeting)
    bump_version(meeting, VERSION)
    return attendance


@transaction.atomic
def remove_attendee(attendance: Attendance, *, version: int | None = None) -> None:
    """Remove a substitute or a person in attendance from the record."""
    meeting = _lock(attendance.meeting)
    check_version(meeting, version, "the attendance", typed=False, field=VERSION)
    if not meeting.attendance.filter(pk=attendance.pk).exists():
        raise ValidationError(f"{attendance.person} was already removed by someone else.")
    attendance.delete()
    refuse_outcomes_without_quorum(meeting)
    bump_version(meeting, VERSION)


@dataclass(frozen=True)
class QuorumPanel:
    """Quorum per item for the page, or the error that stops it being computed."""

    result: q.MeetingQuorum | None
    error: str = ""

    @property
    def lost_at(self) -> tuple[str, ...]:
        return self.result.lost_at() if self.result else ()


def quorum_panel(meeting: Meeting, **loaded: Any) -> QuorumPanel:
    """The panel, from the records or from those the page has loaded (compute_quorum)."""
    try:
        return QuorumPanel(meeting.quorum(**loaded))
    except q.QuorumError as exc:
        return QuorumPanel(None, named(exc))


def named(exc: q.QuorumError) -> str:
    """The error with the people it names (by id) written as their names. Whole numbers only,
    and never an item's number: person 3 in "… present for item 3" stays item 3."""
    ids = {str(p) for p in exc.people if str(p).isdigit()}
    names = {
        str(pk): name for pk, name in Person.objects.filter(pk__in=ids).values_list("pk", "name")
    }
    return re.sub(r"(?<!item )\b\d+\b", lambda m: names.get(m.group(0), m.group(0)), str(exc))
