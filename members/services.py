"""Workflows on members: appointments, terms of reference versions, people and interests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from members import people
from members.models import (
    Appointment,
    Body,
    Interest,
    Person,
    QuorumGroup,
    Seat,
    Sector,
    TermsOfReference,
)
from members.models.appointment import MIN_REASON
from members.people import AnyUser
from vru_governance.rules.composition import Composition, seat_plan
from vru_governance.rules.versions import check_version


@dataclass(frozen=True)
class SeatRow:
    """One seat line of a roster, with its holders on the day and its vacant places."""

    seat: Seat
    capacity: int
    holders: list[Appointment]

    @property
    def vacant(self) -> int:
        return max(self.capacity - len(self.holders), 0)

    @property
    def vacancies(self) -> range:
        return range(self.vacant)


@dataclass(frozen=True)
class Roster:
    """A body's roster on a date: seats with holders, the ToR in force and its composition."""

    on: dt.date
    terms: TermsOfReference | None
    rows: list[SeatRow]
    unseated: list[Appointment]
    composition: Composition | None


def roster_on(body: Body, on: dt.date) -> Roster:
    """The roster by seat on a date (vacant seats included) in a fixed number of queries."""
    terms = body.terms_in_force(on)
    appointments = list(body.appointments.active_on(on).select_related("person"))
    if terms is None:
        return Roster(on, None, [], appointments, None)
    seats = terms.seat_list()
    by_key: dict[str, list[Appointment]] = {s.key: [] for s in seats}
    unseated = []
    for appt in sorted(appointments, key=lambda a: (a.person.name, a.start)):
        if appt.seat_key in by_key:
            by_key[appt.seat_key].append(appt)
        else:
            unseated.append(appt)
    rows = [SeatRow(s, terms.seat_capacity(s), by_key[s.key]) for s in seats]
    return Roster(on, terms, rows, unseated, terms.composition_of(appointments))


@transaction.atomic
def appoint(
    body: Body,
    *,
    person: Person,
    seat_key: str,
    start: dt.date,
    end: dt.date | None = None,
    exception: str = "",
    honorific: str = "",
    role: str = "",
) -> Appointment:
    """Appoint a person to a seat; the ToR rules (seats, one each, 30%) are checked by clean().
    The honorific and role are those held during the appointment, as documents print them."""
    appointment = Appointment(
        body=body,
        person=person,
        seat_key=seat_key,
        start=start,
        end=end,
        exception=exception,
        honorific=honorific,
        role=role,
    )
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def correct_appointment(
    appointment: Appointment,
    *,
    start: dt.date,
    end: dt.date | None,
    honorific: str,
    role: str,
    reason: str,
) -> Appointment:
    """Correct an appointment's dates, honorific or role as entered wrongly; the reason is kept
    in its history. Every rule is judged again (seats, one each, 30%, locked minutes)."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {"reason": "Say in a few words why the appointment is corrected (it is kept)."}
        )
    appointment = (
        Appointment.objects.select_for_update().select_related("person").get(pk=appointment.pk)
    )
    before = (appointment.start, appointment.end, appointment.honorific, appointment.role)
    if before == (start, end, honorific.strip(), role.strip()):
        raise ValidationError("Nothing was changed: the appointment already reads so.")
    appointment.start, appointment.end = start, end
    appointment.honorific, appointment.role = honorific.strip(), role.strip()
    appointment.full_clean()
    appointment._change_reason = f"Corrected: {reason}"
    appointment.save()
    return appointment


@transaction.atomic
def end_appointment(appointment: Appointment, *, end: dt.date) -> Appointment:
    """End an appointment on a date (always allowed: a resignation happened)."""
    if appointment.end is not None and appointment.end < end:
        raise ValidationError(
            {
                "end": f"The appointment already ended on {appointment.end:%-d %B %Y}, so it "
                f"cannot end later ({end:%-d %B %Y})."
            }
        )
    appointment.end = end
    appointment.full_clean()
    appointment.save()
    return appointment


def unique_person_key(name: str) -> str:
    """A person key from the name, made unique with a counter."""
    base = slugify(name)[:70] or "person"
    key, n = base, 1
    while Person.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def save_person(person: Person, *, by: AnyUser | None) -> Person:
    """Create or update a person; a new person gets a key from their name. A change to an
    existing person is `by` a user who may change their record (members/people.py)."""
    if person.pk is not None:
        people.check_may_change(person, by=by)
    if not person.key:
        person.key = unique_person_key(person.name)
    person.full_clean(exclude=["user"])
    person.save()
    return person


@transaction.atomic
def register_interest(person: Person, *, by: AnyUser | None, **values: Any) -> Interest:
    """Add an entry to a person's register of interests, `by` a user who may change it."""
    people.check_may_change(person, by=by)
    interest = Interest(person=person, **values)
    interest.full_clean()
    interest.save()
    return interest


def _lock_interest(interest: Interest, version: int | None) -> Interest:
    """The entry's row, locked and read again; refused (EditConflict) when someone else (the
    partner or a secretary) changed it since the form carrying `version` was opened."""
    locked = Interest.objects.select_for_update().get(pk=interest.pk)
    check_version(locked, version, "this entry of the register of interests")
    return locked


@transaction.atomic
def update_interest(
    interest: Interest,
    *,
    category: str,
    description: str,
    registered_on: dt.date,
    ended_on: dt.date | None,
    by: AnyUser | None,
    version: int | None = None,
) -> Interest:
    """Correct an entry of a register of interests, or record the date it ended.

    A change made from a form opened before someone else changed the entry is refused
    (EditConflict): `version` is the entry's version the form was opened with."""
    people.check_may_change(interest.person, by=by)
    interest = _lock_interest(interest, version)
    interest.category, interest.description = category, description
    interest.registered_on, interest.ended_on = registered_on, ended_on
    interest.version += 1
    interest.full_clean()
    interest.save()
    return interest


@transaction.atomic
def end_interest(
    interest: Interest, *, ended_on: dt.date, by: AnyUser | None, version: int | None = None
) -> Interest:
    """Record the date an interest ended (the entry itself is kept), `by` a user who may
    change the register; refused (EditConflict) when the entry changed since the form
    carrying `version` was opened."""
    people.check_may_change(interest.person, by=by)
    interest = _lock_interest(interest, version)
    if ended_on < interest.registered_on:
        raise ValidationError(
            {
                "ended_on": f"The interest was registered on {interest.registered_on:%-d %B %Y}, "
                f"so it cannot end before that ({ended_on:%-d %B %Y})."
            }
        )
    interest.ended_on = ended_on
    interest.version += 1
    interest.full_clean()
    interest.save()
    return interest


@dataclass(frozen=True)
class SeatLine:
    """A seat line as typed into the draft form (count None: computed from the share)."""

    key: str
    label: str
    sector: str
    count: int | None


@dataclass(frozen=True)
class GroupLine:
    """A required quorum group as typed into the draft form."""

    label: str
    any_of: list[str]
    representative_allowed: bool


def computed_community_seats(seats: list[SeatLine], min_share: Decimal) -> tuple[int, int]:
    """(community seats, total seats) for a seat plan typed into the draft form."""
    plan = seat_plan(((s.sector, s.count) for s in seats), min_share)
    return plan.community, plan.total


@transaction.atomic
def save_draft_terms(
    terms: TermsOfReference, *, seats: list[SeatLine], groups: list[GroupLine]
) -> TermsOfReference:
    """Save a draft ToR version with its seat plan and quorum groups (replacing the old lines)."""
    if terms.pk and terms.status != TermsOfReference.Status.DRAFT:
        raise ValidationError(
            f"{terms.title} is {terms.get_status_display().lower()}; only a draft can be edited. "
            "Draft a new version instead."
        )
    terms.status = TermsOfReference.Status.DRAFT
    errors: dict[str, list[str]] = {}
    keys = [s.key for s in seats]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        errors.setdefault("seats", []).append(f"The seat key '{dup}' is used twice.")
    if not seats:
        errors.setdefault("seats", []).append("A terms of reference lists at least one seat.")
    share_lines = [s for s in seats if s.count is None]
    if len(share_lines) > 1:
        errors.setdefault("seats", []).append("Only one seat line takes its count from the share.")
    known = {s.key for s in seats} | set(Sector.values)
    for g in groups:
        unknown = [x for x in g.any_of if x not in known]
        if unknown:
            errors.setdefault("groups", []).append(
                f"The group '{g.label}' names {', '.join(unknown)}, which is neither a sector "
                "nor a seat key of this version."
            )
    if errors:
        raise ValidationError(errors)
    terms.full_clean()
    terms.save()
    terms.seats.all().delete()
    terms.quorum_groups.all().delete()
    for i, line in enumerate(seats):
        seat = Seat(terms=terms, position=i, **line.__dict__)
        seat.full_clean()
        seat.save()
    for i, g in enumerate(groups):
        group = QuorumGroup(
            terms=terms,
            position=i,
            label=g.label,
            any_of=g.any_of,
            representative_allowed=g.representative_allowed,
        )
        group.full_clean()
        group.save()
    return terms


@transaction.atomic
def endorse_terms(terms: TermsOfReference) -> TermsOfReference:
    """Endorse a draft: it comes into force on its effective date; older versions are superseded."""
    if terms.status != TermsOfReference.Status.DRAFT:
        raise ValidationError(f"{terms.title} is not a draft, so it cannot be endorsed.")
    if not terms.seats.exists():
        raise ValidationError(f"{terms.title} has no seats; add its seat plan before endorsing.")
    clash = terms.body.terms.filter(
        status__in=[TermsOfReference.Status.ENDORSED, TermsOfReference.Status.SUPERSEDED],
        effective_from=terms.effective_from,
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "effective_from": f"{clash.title} already takes effect on "
                f"{terms.effective_from:%-d %B %Y}; choose another effective date."
            }
        )
    for older in terms.body.terms.filter(
        status=TermsOfReference.Status.ENDORSED, effective_from__lt=terms.effective_from
    ):
        older.status = TermsOfReference.Status.SUPERSEDED
        older.save()
    terms.status = TermsOfReference.Status.ENDORSED
    terms.full_clean()
    terms.save()
    return terms


def label_seats(body: Body, appointments: list[Appointment]) -> list[Appointment]:
    """Give each appointment `seat_label`: its seat's label in the ToR version in force on the
    appointment's first day (a seat may be named otherwise in a later version); its key where
    no version names it. Two queries, however many appointments."""
    versions = list(body.terms.prefetch_related("seats"))
    for appointment in appointments:
        terms = TermsOfReference.in_force_among(versions, appointment.start)
        seat = terms.seat_by_key().get(appointment.seat_key) if terms else None
        appointment.seat_label = seat.label if seat else appointment.seat_key
    return appointments


# What a new draft of the terms of reference takes from the version in force (besides its
# seats and quorum groups, next_version_from).
COPIED_TERMS_FIELDS = (
    "text",
    "community_min_share",
    "quorum_fraction",
    "substitutes_count",
    "remote_counts",
    "meeting_interval_min_days",
    "meeting_interval_max_days",
    "agenda_notice_days",
)


def next_version_from(terms: TermsOfReference | None) -> tuple[list[SeatLine], list[GroupLine]]:
    """The seat plan and quorum groups of a version, to start a new draft from."""
    if terms is None:
        return [], []
    seats = [SeatLine(s.key, s.label, s.sector, s.count) for s in terms.seat_list()]
    groups = [
        GroupLine(g.label, list(g.any_of), g.representative_allowed)
        for g in sorted(terms.quorum_groups.all(), key=lambda g: (g.position, g.pk))
    ]
    return seats, groups
