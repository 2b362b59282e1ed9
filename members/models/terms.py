"""Versioned terms of reference with their seat plan and quorum groups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from members.models.body import Body, Sector
from vru_governance.rules.composition import Composition, SeatPlan, seat_plan
from vru_governance.rules.quorum import Group, Rules, parse_fraction

if TYPE_CHECKING:
    from members.models.appointment import Appointment


class TermsOfReference(models.Model):
    """One version of a body's terms of reference, with its seat plan and quorum rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENDORSED = "endorsed", "Endorsed"
        SUPERSEDED = "superseded", "Superseded"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms")
    version = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField()
    text = models.TextField(blank=True, help_text="Markdown.")
    community_min_share = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
    )
    quorum_fraction = models.CharField(max_length=10, default="1/2")
    substitutes_count = models.BooleanField(
        default=True, help_text="A substitute counts in the place of the member they stand for."
    )
    remote_counts = models.BooleanField(
        default=True, help_text="A member taking part remotely counts if available throughout."
    )
    meeting_interval_min_days = models.PositiveSmallIntegerField(null=True, blank=True)
    meeting_interval_max_days = models.PositiveSmallIntegerField(null=True, blank=True)
    agenda_notice_days = models.PositiveSmallIntegerField(
        default=5, help_text="Clear days between publishing the agenda and the meeting."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "effective_from", "version"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "version"],
                name="unique_tor_version",
                violation_error_message=(
                    "The body already has terms of reference with this version."
                ),
            ),
            models.CheckConstraint(
                condition=Q(meeting_interval_min_days__isnull=True)
                | Q(meeting_interval_max_days__isnull=True)
                | Q(meeting_interval_min_days__lte=models.F("meeting_interval_max_days")),
                name="tor_interval_min_not_above_max",
                violation_error_message=(
                    "The shortest interval between meetings is longer than the longest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.slug} {self.title} ({self.version})"

    # The rule "in force on a date" (DESIGN rule 1): a draft never is; of the endorsed and
    # superseded versions, the one effective latest on or before the date (the later-made one
    # on a tie). in_force() asks the database, in_force_among() picks from loaded versions.
    IN_FORCE_STATUSES = (Status.ENDORSED, Status.SUPERSEDED)
    IN_FORCE_ORDER = ("-effective_from", "-pk")

    @classmethod
    def in_force(cls, body: Body, on: dt.date) -> TermsOfReference | None:
        return (
            cls.objects.filter(body=body, status__in=cls.IN_FORCE_STATUSES, effective_from__lte=on)
            .order_by(*cls.IN_FORCE_ORDER)
            # Ordered here, not by the models' default ordering (terms first), which joins
            # the terms and the body only to sort rows that all belong to one version.
            .prefetch_related(
                models.Prefetch("seats", queryset=Seat.objects.order_by("position", "pk")),
                models.Prefetch(
                    "quorum_groups", queryset=QuorumGroup.objects.order_by("position", "pk")
                ),
            )
            .first()
        )

    @classmethod
    def in_force_among(
        cls, versions: list[TermsOfReference], on: dt.date
    ) -> TermsOfReference | None:
        """The version in force on the date, chosen from versions already loaded."""
        candidates = [
            t for t in versions if t.status in cls.IN_FORCE_STATUSES and t.effective_from <= on
        ]
        return max(candidates, key=lambda t: (t.effective_from, t.pk or 0), default=None)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            parse_fraction(self.quorum_fraction)
        except ValueError as exc:
            errors["quorum_fraction"] = str(exc)
        lo, hi = self.meeting_interval_min_days, self.meeting_interval_max_days
        if lo is not None and hi is not None and lo > hi:
            errors["meeting_interval_max_days"] = (
                f"The longest interval ({hi} days) is shorter than the shortest ({lo} days)."
            )
        if errors:
            raise ValidationError(errors)

    # The seat plan --------------------------------------------------------------------

    def seat_list(self) -> list[Seat]:
        return sorted(self.seats.all(), key=lambda s: (s.position, s.pk or 0))

    def seat_plan(self) -> SeatPlan:
        """The plan's seat counts, the share line's computed (vru_governance.rules)."""
        return seat_plan(((s.sector, s.count) for s in self.seat_list()), self.community_min_share)

    def community_seats(self) -> int:
        """Seats on the community line: fixed ones plus the count computed from the share."""
        return self.seat_plan().community

    def seat_capacity(self, seat: Seat) -> int:
        """How many appointments the seat line holds (the share line is computed)."""
        return self.seat_plan().capacity(seat.count)

    def total_seats(self) -> int:
        return self.seat_plan().total

    def seat_by_key(self) -> dict[str, Seat]:
        return {s.key: s for s in self.seat_list()}

    def sector_of(self, seat_key: str) -> str | None:
        seat = self.seat_by_key().get(seat_key)
        return seat.sector if seat else None

    def composition_of(self, appointments: list[Appointment]) -> Composition:
        community = sum(1 for a in appointments if self.sector_of(a.seat_key) == Sector.COMMUNITY)
        return Composition(
            members=len(appointments), community=community, minimum=self.community_min_share
        )

    def quorum_rules(self) -> Rules:
        groups = tuple(
            Group(
                label=g.label,
                any_of=frozenset(g.any_of),
                representative_allowed=g.representative_allowed,
            )
            for g in sorted(self.quorum_groups.all(), key=lambda g: (g.position, g.pk or 0))
        )
        return Rules(
            fraction=parse_fraction(self.quorum_fraction),
            substitutes_count=self.substitutes_count,
            remote_counts=self.remote_counts,
            groups=groups,
        )

    def member_tags(self, seat_key: str) -> frozenset[str]:
        """What a member holding this seat satisfies in a quorum group: sector and seat key."""
        sector = self.sector_of(seat_key)
        return frozenset({seat_key, sector} if sector else {seat_key})


class Seat(models.Model):
    """A line of a ToR's seat plan, e.g. three seats for the health sector."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="seats")
    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=300)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Empty for the community line whose count is computed from the minimum share.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["terms", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["terms", "key"],
                name="unique_seat_key_per_tor",
                violation_error_message=(
                    "These terms of reference already have a seat with this key."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.count is None and self.sector != Sector.COMMUNITY:
            raise ValidationError(
                {"count": "Only the community line may take its count from the minimum share."}
            )


class QuorumGroup(models.Model):
    """A group that must be represented among those present for a meeting to be quorate."""

    terms = models.ForeignKey(
        TermsOfReference, on_delete=models.CASCADE, related_name="quorum_groups"
    )
    label = models.CharField(max_length=200)
    any_of = models.JSONField(help_text="Sectors or seat keys; any one present satisfies it.")
    representative_allowed = models.BooleanField(
        default=False, help_text="A substitute for such a member satisfies the group."
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["terms", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if not isinstance(self.any_of, list) or not self.any_of:
            raise ValidationError({"any_of": "List at least one sector or seat key."})
        if not all(isinstance(x, str) and x for x in self.any_of):
            raise ValidationError({"any_of": "Each entry must be a sector or seat key."})
