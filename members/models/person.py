"""People named in the records and their registers of interests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Person(models.Model):
    """Anyone named in the records: partners, substitutes, officers, presenters."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=300, blank=True)
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
        """'Name, Role' as the minutes print it."""
        return ", ".join(part for part in (self.name, self.role) if part)


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
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.description[:60]}"
