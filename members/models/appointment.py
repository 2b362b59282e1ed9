"""Appointments of people to bodies, with the seat and composition rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from members.models.body import Body, Sector
from members.models.person import Person, described, question_far_future
from members.models.terms import Seat, TermsOfReference
from vru_governance.rules.composition import percent_str
from vru_governance.rules.formats import short_date

# The shortest reason a secretary may give for an exception or a correction: a letter or two
# is a slip of the keyboard, not a reason.
MIN_REASON = 10


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, on: dt.date) -> AppointmentQuerySet:
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def overlapping(self, start: dt.date, end: dt.date | None) -> AppointmentQuerySet:
        qs = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        if end is not None:
            qs = qs.filter(start__lte=end)
        return qs


class Appointment(models.Model):
    """A person's membership of a body in one seat, from start to end (both included)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    seat_key = models.SlugField(max_length=50, help_text="The key of a seat in the ToR in force.")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    exception = models.TextField(
        blank=True,
        help_text="The recorded reason a non-community appointment starts while the roster is "
        "below the community minimum.",
    )
    honorific = models.CharField(
        max_length=40,
        blank=True,
        help_text="As held during this appointment, e.g. Cllr; empty: the person's own.",
    )
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The role held during this appointment, e.g. Leader of Lambeth Council; "
        "empty: the person's own.",
    )
    history = HistoricalRecords()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["body", "start", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_ends_after_start",
                violation_error_message="An appointment cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.seat_key} from {self.start:%d %b %Y}"

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Sequence[str], values: Sequence[Any]
    ) -> Appointment:
        instance = super().from_db(db, field_names, values)
        instance._as_loaded = (instance.seat_key, instance.start, instance.person_id)
        instance._exception_loaded = instance.exception
        return instance

    def described(self) -> str:
        """The holder as documents of a date within this appointment print them."""
        return described(
            self.honorific or self.person.honorific,
            self.person.name,
            self.role or self.person.role,
        )

    def is_active_on(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)

    def _starts_anew(self) -> bool:
        """New, or moved to another seat, person or start: the composition rule applies."""
        return getattr(self, "_as_loaded", None) != (self.seat_key, self.start, self.person_id)

    def _others(self) -> AppointmentQuerySet:
        qs = Appointment.objects.filter(body_id=self.body_id)
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        return qs

    def clean(self) -> None:
        if not self.body_id or not self.person_id or not self.start or not self.seat_key:
            return  # field errors are reported by the fields themselves
        question_far_future("start", "The start date", self.start)
        question_far_future("end", "The end date", self.end)
        if self.end is not None and self.end < self.start:
            raise ValidationError(
                {
                    "end": f"The appointment ends ({short_date(self.end)}) before it starts "
                    f"({short_date(self.start)})."
                }
            )
        terms = self.body.terms_in_force(self.start)
        if terms is None:
            raise ValidationError(
                {
                    "start": f"No terms of reference of {self.body} are in force on "
                    f"{short_date(self.start)}."
                }
            )
        seat = terms.seat_by_key().get(self.seat_key)
        if seat is None:
            keys = ", ".join(terms.seat_by_key())
            raise ValidationError(
                {"seat_key": f"{terms.title} has no seat '{self.seat_key}' (its seats: {keys})."}
            )
        self._check_one_appointment_per_person()
        self._check_seat_capacity(terms, seat)
        # Ending or annotating an appointment is always allowed: a resignation happened.
        if self._starts_anew() or self.exception != getattr(self, "_exception_loaded", None):
            self._check_composition(terms, seat)

    def _check_one_appointment_per_person(self) -> None:
        clash = (
            self._others()
            .filter(person_id=self.person_id)
            .overlapping(self.start, self.end)
            .first()
        )
        if clash is not None:
            until = f"to {short_date(clash.end)}" if clash.end else "with no end date"
            raise ValidationError(
                f"{self.person} already holds an appointment to {self.body} from "
                f"{short_date(clash.start)} {until}; a person holds at most one at a time."
            )

    def _check_seat_capacity(self, terms: TermsOfReference, seat: Seat) -> None:
        others = list(
            self._others().filter(seat_key=self.seat_key).overlapping(self.start, self.end)
        )
        # Occupancy only rises on a start date, so those are the days to check.
        days = {self.start} | {a.start for a in others if a.start > self.start}
        for day in sorted(days):
            if self.end is not None and day > self.end:
                continue
            day_terms = terms if day == self.start else self.body.terms_in_force(day)
            if day_terms is None or self.seat_key not in day_terms.seat_by_key():
                continue
            capacity = day_terms.seat_capacity(day_terms.seat_by_key()[self.seat_key])
            holders = [a for a in others if a.is_active_on(day)]
            if len(holders) + 1 > capacity:
                names = ", ".join(str(a.person) for a in holders)
                raise ValidationError(
                    {
                        "seat_key": f"The seat '{seat.label}' has {capacity} "
                        f"place{'s' if capacity != 1 else ''} and on {short_date(day)} "
                        f"already holds {len(holders)} ({names}); this would be appointment "
                        f"{len(holders) + 1} of {capacity}."
                    }
                )

    def is_like_for_like(self) -> bool:
        """Same seat, the predecessor's appointment ending the day before this one starts."""
        return (
            self._others()
            .filter(seat_key=self.seat_key, end=self.start - dt.timedelta(days=1))
            .exists()
        )

    def _check_composition(self, terms: TermsOfReference, seat: Seat) -> None:
        if seat.sector == Sector.COMMUNITY:
            return  # community appointments are never refused by this rule
        roster = list(self._others().active_on(self.start))
        before = terms.composition_of(roster)
        after = terms.composition_of([*roster, self])
        if after.meets_minimum or self.is_like_for_like():
            return
        reason = self.exception.strip()
        if reason and len(reason) < MIN_REASON:
            raise ValidationError(
                {
                    "exception": f"'{reason}' does not say why this appointment is an exception "
                    "to the community minimum: give the reason in a few words (it is kept and "
                    "shown beside the appointment)."
                }
            )
        if reason:
            return
        minimum = percent_str(after.minimum)
        raise ValidationError(
            {
                "exception": (
                    f"On {short_date(self.start)} this non-community appointment would leave "
                    f"community representation at {after.community} of {after.members} members "
                    f"({after.percent}%), below the minimum of {minimum} (before it: "
                    f"{before.community} of {before.members}, {before.percent}%); "
                    f"{after.shortfall} more community member"
                    f"{'s' if after.shortfall != 1 else ''} needed. Appoint community "
                    "members first, make it a like-for-like replacement, or record the "
                    "reason for the exception."
                )
            }
        )
