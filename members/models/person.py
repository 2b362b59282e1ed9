"""People named in the records and their registers of interests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Person(models.Model):
    """Anyone named in the records: partners, substitutes, officers, presenters."""

    key = models.SlugField(max_length=80, unique=True)
    honorific = models.CharField(
        max_length=40, blank=True, help_text="Printed before the name today, e.g. Cllr, Dr."
    )
    name = models.CharField(max_length=200)
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The role today; a role held as a member is kept on each appointment.",
    )
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def described(self) -> str:
        """'Honorific Name, Role' as the documents print someone today."""
        return described(self.honorific, self.name, self.role)


def described(honorific: str, name: str, role: str) -> str:
    """'Cllr Lib Peck, Leader of Lambeth Council': the one way a person is printed."""
    named = " ".join(part for part in (honorific.strip(), name) if part)
    return ", ".join(part for part in (named, role.strip()) if part)


# A date this many years ahead is almost always a slip of the keyboard (2091 for 2019).
FAR_FUTURE_YEARS = 5


def question_far_future(field: str, what: str, day: dt.date | None) -> None:
    """Refuse a date so far ahead that it is most likely mistyped, saying so."""
    if day is None:
        return
    today = dt.date.today()
    limit = today.replace(year=today.year + FAR_FUTURE_YEARS, day=min(today.day, 28))
    if day > limit:
        raise ValidationError(
            {
                field: f"{what} ({day:%-d %B %Y}) is more than {FAR_FUTURE_YEARS} years ahead: "
                "is the year right?"
            }
        )


class Interest(models.Model):
    """An entry in a person's register of interests."""

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", "Employment, office or trade"
        DIRECTORSHIP = "directorship", "Directorship or trusteeship"
        MEMBERSHIP = "membership", "Membership of an organisation"
        GIFT = "gift", "Gift or hospitality"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interests")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField()
    registered_on = models.DateField(default=dt.date.today)
    ended_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every change (optimistic locking)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-registered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("registered_on")),
                name="interest_ends_after_registration",
                violation_error_message="An interest cannot end before it was registered.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.description[:60]}"

    def clean(self) -> None:
        question_far_future("registered_on", "The date registered", self.registered_on)
        question_far_future("ended_on", "The end date", self.ended_on)
        if self.registered_on and self.ended_on and self.ended_on < self.registered_on:
            raise ValidationError(
                {
                    "ended_on": f"The interest was registered on {self.registered_on:%-d %B %Y}, "
                    f"so it cannot end before that ({self.ended_on:%-d %B %Y})."
                }
            )
