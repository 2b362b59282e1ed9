"""Bodies: the partnership boards whose records the product keeps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from vru_governance.rules.composition import Composition

if TYPE_CHECKING:
    from members.models.appointment import Appointment
    from members.models.terms import TermsOfReference


class Sector(models.TextChoices):
    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
    DEPUTY_MAYOR = "deputy_mayor", "Deputy Mayor"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    FUNDERS = "funders", "Funders"
    LONDON_COUNCILS = "london_councils", "London Councils"
    COMMUNITY = "community", "Community"
    MOPAC = "mopac", "MOPAC"
    GLA = "gla", "GLA"
    SCOTTISH_VRU = "scottish_vru", "Scottish VRU"
    OTHER = "other", "Other"


# The site's own top-level paths: a body with one of these slugs would be unreachable.
RESERVED_SLUGS = frozenset(
    {
        "accessibility",
        "accounts",
        "admin",
        "alerts",
        "api",
        "feeds",
        "manage",
        "media",
        "partners",
        "privacy",
        "search",
        "static",
    }
)


def validate_body_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            f"'{value}' is one of the site's own addresses; choose another short name."
        )


class Body(models.Model):
    """A partnership board whose records the product keeps."""

    slug = models.SlugField(unique=True, validators=[validate_body_slug])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    publisher_line = models.CharField(
        max_length=100,
        blank=True,
        help_text="The organisation printed at the top of the body's documents, as on its "
        'published papers (the London VRU\'s: "MAYOR OF LONDON"); blank: no such line.',
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="secretary_of"
    )
    standard_agenda_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised on every save of the standard agenda (optimistic locking).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name

    def terms_in_force(self, on: dt.date) -> TermsOfReference | None:
        """The latest endorsed or superseded ToR effective on or before the date."""
        # The related manager names the class, so this module need not import terms.py.
        return self.terms.model.in_force(self, on)

    def appointments_on(self, on: dt.date) -> models.QuerySet[Appointment]:
        return self.appointments.active_on(on)

    def composition_on(self, on: dt.date) -> Composition | None:
        terms = self.terms_in_force(on)
        if terms is None:
            return None
        return terms.composition_of(list(self.appointments_on(on)))
