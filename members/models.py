"""Bodies, their versioned terms of reference, people and appointments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from meetings.quorum import Group, Rules, parse_fraction
from members.composition import Composition, community_seat_count, percent_str
from reports.documents.formats import short_date


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
        "api",
        "feeds",
        "manage",
        "media",
        "partners",
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
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="secretary_of"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name

    def terms_in_force(self, on: dt.date) -> TermsOfReference | None:
        """The latest endorsed or superseded ToR effective on or before the date."""
        return TermsOfReference.in_force(self, on)

    def appointments_on(self, on: dt.date) -> models.QuerySet[Appointment]:
        return self.appointments.active_on(on)

    def composition_on(self, on: dt.date) -> Composition | None:
        terms = self.terms_in_force(on)
        if terms is None:
            return None
        return terms.composition_of(list(self.appointments_on(on)))


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
            models.UniqueConstraint(fields=["body", "version"], name="unique_tor_version"),
            models.CheckConstraint(
                condition=Q(meeting_interval_min_days__isnull=True)
                | Q(meeting_interval_max_days__isnull=True)
                | Q(meeting_interval_min_days__lte=models.F("meeting_interval_max_days")),
                name="tor_interval_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.slug} {self.title} ({self.version})"

    @classmethod
    def in_force(cls, body: Body, on: dt.date) -> TermsOfReference | None:
        return (
            cls.objects.filter(
                body=body,
                status__in=[cls.Status.ENDORSED, cls.Status.SUPERSEDED],
                effective_from__lte=on,
            )
            .order_by("-effective_from", "-pk")
            .prefetch_related("seats", "quorum_groups")
            .first()
        )

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

    def fixed_seat_total(self) -> int:
        return sum(s.count or 0 for s in self.seat_list() if s.count is not None)

    def community_seats(self) -> int:
        """Seats on the community line: fixed ones plus the count computed from the share."""
        fixed_community = sum(
            s.count for s in self.seat_list() if s.sector == Sector.COMMUNITY and s.count
        )
        has_share_line = any(s.count is None for s in self.seat_list())
        others = sum(s.count for s in self.seat_list() if s.sector != Sector.COMMUNITY and s.count)
        if not has_share_line:
            return fixed_community
        needed = community_seat_count(others, self.community_min_share)
        return max(needed, fixed_community)

    def seat_capacity(self, seat: Seat) -> int:
        """How many appointments the seat line holds (the share line is computed)."""
        if seat.count is not None:
            return seat.count
        fixed_community = sum(
            s.count for s in self.seat_list() if s.sector == Sector.COMMUNITY and s.count
        )
        return self.community_seats() - fixed_community

    def total_seats(self) -> int:
        return sum(self.seat_capacity(s) for s in self.seat_list())

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

    class Meta:
        ordering = ["terms", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "key"], name="unique_seat_key_per_tor"),
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

    class Meta:
        ordering = ["terms", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if not isinstance(self.any_of, list) or not self.any_of:
            raise ValidationError({"any_of": "List at least one sector or seat key."})
        if not all(isinstance(x, str) and x for x in self.any_of):
            raise ValidationError({"any_of": "Each entry must be a sector or seat key."})


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
    history = HistoricalRecords()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["body", "start", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.seat_key} from {self.start:%d %b %Y}"

    @classmethod
    def from_db(cls, db, field_names, values):  # noqa: ANN001, ANN206
        instance = super().from_db(db, field_names, values)
        instance._as_loaded = (instance.seat_key, instance.start, instance.person_id)
        instance._exception_loaded = instance.exception
        return instance

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
        if after.meets_minimum or self.is_like_for_like() or self.exception.strip():
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
