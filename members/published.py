"""Published records of a body's members and terms of reference, for the public site and API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from members.models import Appointment, Body, Seat, TermsOfReference

# A draft is never in force (DESIGN rule 1) and is not published: the public sees endorsed
# versions and the superseded ones before them, the versions that can be in force.
PUBLISHED_TERMS = TermsOfReference.IN_FORCE_STATUSES


def published_terms(body: Body) -> QuerySet[TermsOfReference]:
    """The body's published versions, newest first, with their seat plans."""
    return (
        TermsOfReference.objects.filter(body=body, status__in=PUBLISHED_TERMS)
        .order_by(*TermsOfReference.IN_FORCE_ORDER)
        .prefetch_related("seats")
    )


def terms_on(versions: list[TermsOfReference], on: dt.date) -> TermsOfReference | None:
    """The version in force on a date, chosen from versions already loaded."""
    return TermsOfReference.in_force_among(versions, on)


def seat_of(versions: list[TermsOfReference], appt: Appointment, on: dt.date) -> Seat | None:
    """The seat line an appointment fills, read from the ToR in force on the date or its start."""
    for day in (on, appt.start):
        terms = terms_on(versions, day)
        if terms is not None and appt.seat_key in terms.seat_by_key():
            return terms.seat_by_key()[appt.seat_key]
    return None


@dataclass
class Membership:
    """An appointment as the members page shows it: person, seat line, dates."""

    appointment: Appointment
    seat: Seat | None

    @property
    def seat_label(self) -> str:
        return self.seat.label if self.seat else self.appointment.seat_key

    @property
    def position(self) -> int:
        return self.seat.position if self.seat else 10**6


@dataclass
class Roster:
    """A body's members on a date: serving, appointed to start later, and former."""

    serving: list[Membership]
    future: list[Membership]
    former: list[Membership]


def roster(body: Body, versions: list[TermsOfReference], on: dt.date) -> Roster:
    """Every appointment of the body sorted into serving, future and former (one query)."""
    appointments = body.appointments.select_related("person").order_by("person__name", "start")
    serving, future, former = [], [], []
    for appt in appointments:
        row = Membership(appt, seat_of(versions, appt, on))
        if appt.is_active_on(on):
            serving.append(row)
        elif appt.start > on:
            future.append(row)
        else:
            former.append(row)
    serving.sort(key=lambda m: (m.position, m.appointment.person.name))
    former.sort(key=lambda m: m.appointment.end or on, reverse=True)
    return Roster(serving, future, former)


_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)


def demote_headings(text: str) -> str:
    """Shift Markdown headings to level 3 and below: the page's own h1 and h2 come first."""
    return _HEADING.sub(lambda m: "#" * min(6, max(3, len(m.group(1)) + 1)), text)
